/**
 * The retry policy as data: a `Schedule` and a `while`, `Retry-After` honoured (capped), each retry logged at
 * Debug, and `layerConfig` reading `IAMPORT_TIMEOUT` and `IAMPORT_RETRIES`. Writes are never retried, whatever
 * the policy says.
 */
import { IamportClient, type IamportError, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import { HttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import {
  ConfigError,
  ConfigProvider,
  Effect,
  Either,
  Exit,
  Fiber,
  Layer,
  Logger,
  LogLevel,
  Schedule,
  TestClock
} from "effect"
import * as ScriptedServer from "./fixtures/ScriptedServer.js"

const payment = {
  imp_uid: "imp_1",
  merchant_uid: "m_1",
  amount: 1000,
  cancel_amount: 0,
  currency: "KRW",
  status: "paid"
}
const ok: ScriptedServer.Scripted = { status: 200, body: ScriptedServer.envelope(payment) }
const unavailable = (headers: Record<string, string> = {}): ScriptedServer.Scripted => ({
  status: 503,
  body: ScriptedServer.envelope(null, -1, "점검 중"),
  headers
})

/** Starts `program` against a scripted server (forked, so the test moves the `TestClock`). */
const start = <A>(
  answers: ReadonlyArray<ScriptedServer.Scripted>,
  program: Effect.Effect<A, IamportError.IamportError, IamportClient.IamportClient>,
  options: Partial<IamportClient.Options> = {}
) =>
  Effect.gen(function* () {
    const server = yield* ScriptedServer.make(answers)
    const fiber = yield* program.pipe(Effect.provide(ScriptedServer.layer(server, options)), Effect.either, Effect.fork)
    return { fiber, calls: Effect.map(server.apiCalls, (calls) => calls.length) }
  })

describe("retry policy", () => {
  it.effect("a Schedule: as many retries, as far apart, as it says", () =>
    Effect.gen(function* () {
      const { calls, fiber } = yield* start([unavailable()], Payments.getPayment("imp_1"), {
        retrySchedule: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(4)))
      })
      yield* TestClock.adjust("999 millis")
      assert.strictEqual(yield* calls, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* calls, 2)
      yield* TestClock.adjust("10 seconds")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result))
      assert.strictEqual(yield* calls, 5)
    })
  )

  it.effect("a write is never retried, whatever the Schedule says", () =>
    Effect.gen(function* () {
      const { calls, fiber } = yield* start(
        [unavailable()],
        Payments.cancel({ imp_uid: "imp_1" }, { confirm: false }),
        {
          retrySchedule: Schedule.recurs(10)
        }
      )
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "IamportTransportError")
      assert.strictEqual(yield* calls, 1)
    })
  )

  it.effect("retryWhile narrows the retries", () =>
    Effect.gen(function* () {
      const { calls, fiber } = yield* start([unavailable()], Payments.getPayment("imp_1"), {
        retrySchedule: Schedule.recurs(3),
        retryWhile: (error) => error._tag !== "IamportApiError"
      })
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls, 1)
    })
  )

  it.effect("Retry-After on a 503 is honoured when longer than the schedule's delay", () =>
    Effect.gen(function* () {
      const { calls, fiber } = yield* start([unavailable({ "retry-after": "3" }), ok], Payments.getPayment("imp_1"), {
        retryBase: "1 millis"
      })
      yield* TestClock.adjust("2900 millis")
      assert.strictEqual(yield* calls, 1, "still waiting for the server's Retry-After")
      yield* TestClock.adjust("100 millis")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isRight(result))
      assert.strictEqual(yield* calls, 2)
    })
  )

  it.effect("Retry-After is capped by maxRetryAfter, and carried by the final error", () =>
    Effect.gen(function* () {
      const { calls, fiber } = yield* start([unavailable({ "retry-after": "3600" })], Payments.getPayment("imp_1"), {
        retryBase: "1 millis",
        retries: 1,
        maxRetryAfter: "5 seconds"
      })
      yield* TestClock.adjust("4999 millis")
      assert.strictEqual(yield* calls, 1)
      yield* TestClock.adjust("1 millis")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls, 2)
      assert.isTrue(Either.isLeft(result))
      if (Either.isRight(result) || result.left._tag !== "IamportApiError")
        return assert.fail("expected IamportApiError")
      assert.strictEqual(result.left.retryAfter, 3600)
    })
  )

  it.effect("Retry-After as an HTTP date, on a 429 without an envelope", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      const { calls, fiber } = yield* start(
        [{ status: 429, body: "slow down", headers: { "retry-after": "Thu, 01 Jan 2026 00:00:04 GMT" } }, ok],
        Payments.getPayment("imp_1"),
        { retryBase: "1 millis" }
      )
      yield* TestClock.adjust("3999 millis")
      assert.strictEqual(yield* calls, 1)
      yield* TestClock.adjust("1 millis")
      assert.isTrue(Either.isRight(yield* Fiber.join(fiber)))
      assert.strictEqual(yield* calls, 2)
    })
  )

  it.effect("each retry is logged at Debug with the endpoint, the attempt and the reason, never the token", () =>
    Effect.gen(function* () {
      const lines: Array<{ level: string; message: string; annotations: Record<string, unknown> }> = []
      const logger = Logger.make(({ annotations, logLevel, message }) => {
        lines.push({
          level: logLevel.label,
          message: String(Array.isArray(message) ? message.join(" ") : message),
          annotations: Object.fromEntries(annotations)
        })
      })
      const { fiber } = yield* start(
        [unavailable(), { status: 502, body: "<html>bad gateway</html>", contentType: "text/html" }, ok],
        Payments.getPayment("imp_1").pipe(
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.Debug)
        ),
        { retryBase: "1 millis" }
      )
      yield* TestClock.adjust("1 minute")
      assert.isTrue(Either.isRight(yield* Fiber.join(fiber)))
      const retries = lines.filter((line) => line.message === "retrying an i'mport call")
      assert.deepStrictEqual(
        retries.map((line) => [line.level, line.annotations]),
        [
          ["DEBUG", { endpoint: "GET /payments/{imp_uid}", attempt: 2, reason: "IamportApiError HTTP 503 code -1" }],
          [
            "DEBUG",
            { endpoint: "GET /payments/{imp_uid}", attempt: 3, reason: "IamportTransportError ServerError HTTP 502" }
          ]
        ]
      )
      assert.notInclude(JSON.stringify(lines), "token-0")
      assert.notInclude(JSON.stringify(lines), ScriptedServer.secret)
    })
  )
})

describe("layerConfig", () => {
  const provider = (entries: Record<string, string>) =>
    Layer.setConfigProvider(
      ConfigProvider.fromMap(new Map(Object.entries({ IMP_KEY: "key", IMP_SECRET: ScriptedServer.secret, ...entries })))
    )

  const viaConfig = (
    server: Effect.Effect.Success<ReturnType<typeof ScriptedServer.make>>,
    entries: Record<string, string>
  ) =>
    IamportClient.layerConfig().pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, server.client)),
      Layer.provide(provider({ IAMPORT_BASE_URL: "http://iamport.test", ...entries }))
    )

  it.effect("reads IAMPORT_RETRIES", () =>
    Effect.gen(function* () {
      for (const [retries, expected] of [
        ["0", 1],
        ["4", 5]
      ] as const) {
        const server = yield* ScriptedServer.make([unavailable()])
        const fiber = yield* Payments.getPayment("imp_1").pipe(
          Effect.provide(viaConfig(server, { IAMPORT_RETRIES: retries })),
          Effect.either,
          Effect.fork
        )
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)
        assert.strictEqual((yield* server.apiCalls).length, expected, `IAMPORT_RETRIES=${retries}`)
      }
    })
  )

  it.effect("reads IAMPORT_TIMEOUT", () =>
    Effect.gen(function* () {
      const server = yield* ScriptedServer.make([{ hang: true }])
      const fiber = yield* Payments.cancel({ imp_uid: "imp_1" }, { confirm: false }).pipe(
        Effect.provide(viaConfig(server, { IAMPORT_TIMEOUT: "2 seconds" })),
        Effect.either,
        Effect.fork
      )
      yield* TestClock.adjust("1999 millis")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 millis")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "IamportTransportError")
      if (Either.isLeft(result) && result.left._tag === "IamportTransportError") {
        assert.strictEqual(result.left.reason, "Timeout")
      }
    })
  )

  it.effect("a negative IAMPORT_RETRIES is a ConfigError", () =>
    Effect.gen(function* () {
      const server = yield* ScriptedServer.make([ok])
      const exit = yield* Effect.exit(Layer.build(viaConfig(server, { IAMPORT_RETRIES: "-1" })).pipe(Effect.scoped))
      assert.isTrue(Exit.isFailure(exit))
    })
  )

  describe("a base URL without its scheme is a ConfigError when the layer is built", () => {
    const layers = (baseUrl: string) => ({
      IamportClient: IamportClient.layerConfig().pipe(
        Layer.provide(
          Layer.succeed(
            HttpClient.HttpClient,
            HttpClient.make(() => Effect.die("no request expected"))
          )
        ),
        Layer.provide(provider({ IAMPORT_BASE_URL: baseUrl }))
      ),
      NodeIamportClient: NodeIamportClient.layerConfig().pipe(Layer.provide(provider({ IAMPORT_BASE_URL: baseUrl })))
    })

    for (const name of ["IamportClient", "NodeIamportClient"] as const) {
      it.scoped(name, () =>
        Effect.gen(function* () {
          for (const bad of ["127.0.0.1:4010", "localhost:4010", "ftp://iamport.test", "/api"]) {
            const exit = yield* Effect.exit(Layer.build(layers(bad)[name]))
            assert.isTrue(Exit.isFailure(exit), bad)
            if (Exit.isFailure(exit)) {
              const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
              assert.isTrue(ConfigError.isConfigError(error), `${bad}: a ConfigError`)
              assert.include(String(error), "IAMPORT_BASE_URL")
            }
          }
          for (const good of ["http://127.0.0.1:4010", "https://api.iamport.kr/"]) {
            assert.isTrue(Exit.isSuccess(yield* Effect.exit(Layer.build(layers(good)[name]))), good)
          }
        })
      )
    }
  })
})
