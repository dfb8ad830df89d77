import { IamportError, Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Clock, Duration, Effect, Fiber, Redacted, TestClock } from "effect"
import * as ScriptedServer from "./fixtures/ScriptedServer.js"

const payment = {
  imp_uid: "imp_1",
  merchant_uid: "m_1",
  amount: 1000,
  cancel_amount: 0,
  currency: "KRW",
  status: "paid"
}

/** Runs `program` against a scripted server; returns its exit and what the server saw. */
const run = <A>(
  answers: ReadonlyArray<ScriptedServer.Scripted>,
  program: Effect.Effect<A, IamportError.IamportError, any>,
  options: Parameters<typeof ScriptedServer.layer>[1] = {}
) =>
  Effect.gen(function* () {
    const server = yield* ScriptedServer.make(answers)
    const fiber = yield* program.pipe(Effect.provide(ScriptedServer.layer(server, options)), Effect.either, Effect.fork)
    yield* TestClock.adjust("5 minutes")
    const result = yield* Fiber.join(fiber)
    return { result, calls: yield* server.apiCalls, tokenCalls: yield* server.tokenCalls, seen: yield* server.seen }
  })

const failure = <A, E>(result: import("effect").Either.Either<A, E>): E => {
  assert.isTrue(result._tag === "Left", "expected a failure")
  return (result as { left: E }).left
}

describe("request pipeline", () => {
  it.effect("decodes a payment and sends the bearer token and Tier header", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ status: 200, body: ScriptedServer.envelope(payment) }],
        Payments.getPayment("imp_1"),
        { tier: "ABC" }
      )
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls[0]!.authorization, "Bearer token-0")
      assert.strictEqual(calls[0]!.tier, "ABC")
      assert.strictEqual(new URL(calls[0]!.url).pathname, "/payments/imp_1")
    })
  )

  it.effect("HTTP 200 with code != 0 is an IamportApiError with the API's message", () =>
    Effect.gen(function* () {
      const { result } = yield* run(
        [{ status: 200, body: ScriptedServer.envelope(null, 1, "취소할 결제건이 존재하지 않습니다.") }],
        Payments.cancel({ imp_uid: "imp_1" }, { confirm: false })
      )
      const error = failure(result)
      assert.strictEqual(error._tag, "IamportApiError")
      if (error._tag !== "IamportApiError") return
      assert.strictEqual(error.status, 200)
      assert.strictEqual(error.code, 1)
      assert.strictEqual(error.apiMessage, "취소할 결제건이 존재하지 않습니다.")
    })
  )

  it.effect("404 is IamportNotFoundError with code and message", () =>
    Effect.gen(function* () {
      const { result } = yield* run(
        [{ status: 404, body: ScriptedServer.envelope(null, -1, "존재하지 않는 결제정보입니다.") }],
        Payments.getPayment("imp_404")
      )
      const error = failure(result)
      assert.strictEqual(error._tag, "IamportNotFoundError")
      assert.include(error.message, "존재하지 않는 결제정보입니다.")
    })
  )

  const malformed: ReadonlyArray<[string, ScriptedServer.Scripted, string]> = [
    ["invalid JSON", { status: 200, body: '{"code":0,"response":{"imp_uid":' }, "not an i'mport envelope"],
    ["an empty body", { status: 200, body: "" }, "empty body"],
    ["a JSON array", { status: 200, body: "[1,2,3]" }, "not an i'mport envelope"],
    ["a string code", { status: 200, body: '{"code":"0","message":null,"response":{}}' }, "not an i'mport envelope"],
    ["a missing response", { status: 200, body: '{"code":0,"message":null}' }, "response does not match"],
    ["a null response", { status: 200, body: ScriptedServer.envelope(null) }, "response does not match"],
    ["wrong field types", { status: 200, body: ScriptedServer.envelope({ ...payment, amount: "abc" }) }, "amount"],
    [
      "a missing required field",
      { status: 200, body: ScriptedServer.envelope({ ...payment, imp_uid: undefined }) },
      "imp_uid"
    ],
    ["HTML on 200", { status: 200, body: "<html>hi</html>", contentType: "text/html" }, "HTML"]
  ]
  for (const [name, answer, expected] of malformed) {
    it.effect(`${name} is an IamportDecodeError that says what did not match`, () =>
      Effect.gen(function* () {
        const { result, calls } = yield* run([answer], Payments.getPayment("imp_1"))
        const error = failure(result)
        assert.strictEqual(error._tag, "IamportDecodeError")
        assert.include(error.message, expected)
        assert.strictEqual(calls.length, 1, "decode errors are not retried")
      })
    )
  }

  it.effect("a huge body decodes or fails with a typed error, without crashing", () =>
    Effect.gen(function* () {
      const big = { ...payment, name: "x".repeat(5_000_000) }
      const { result } = yield* run([{ status: 200, body: ScriptedServer.envelope(big) }], Payments.getPayment("imp_1"))
      assert.strictEqual(result._tag, "Right")
      const { result: bad } = yield* run(
        [{ status: 200, body: ScriptedServer.envelope({ ...big, amount: "x".repeat(2_000_000) }) }],
        Payments.getPayment("imp_1")
      )
      const error = failure(bad)
      assert.strictEqual(error._tag, "IamportDecodeError")
      assert.isBelow(error.message.length, 2_000, "issue text is bounded")
    })
  )

  it.effect("an HTML 502 page on a read is retried, then a typed ServerError", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ status: 502, body: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html" }],
        Payments.getPayment("imp_1")
      )
      const error = failure(result)
      assert.strictEqual(error._tag, "IamportTransportError")
      if (error._tag !== "IamportTransportError") return
      assert.strictEqual(error.reason, "ServerError")
      assert.strictEqual(error.status, 502)
      assert.strictEqual(calls.length, 3)
    })
  )

  it.effect("a 503 burst on a read is retried until it succeeds", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [
          { status: 503, body: "Service Unavailable", contentType: "text/plain" },
          { status: 200, body: ScriptedServer.envelope(payment) }
        ],
        Payments.getPayment("imp_1")
      )
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls.length, 2)
    })
  )

  it.effect("a 429 rate limit on a read is retried; on a write it is a typed error that was not processed", () =>
    Effect.gen(function* () {
      const read = yield* run(
        [
          { status: 429, body: "Too Many Requests", contentType: "text/plain" },
          { status: 200, body: ScriptedServer.envelope(payment) }
        ],
        Payments.getPayment("imp_1")
      )
      assert.strictEqual(read.result._tag, "Right")
      assert.strictEqual(read.calls.length, 2)
      const write = yield* run(
        [{ status: 429, body: "Too Many Requests", contentType: "text/plain" }],
        Payments.cancel({ imp_uid: "imp_1" }, { confirm: false })
      )
      const error = failure(write.result)
      assert.strictEqual(write.calls.length, 1)
      assert.isTrue(error._tag === "IamportTransportError" && error.status === 429 && !error.mayHaveBeenProcessed)
    })
  )

  it.effect("a cancel that loses its connection is sent once; the outcome is reported unknown", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ drop: true }],
        Payments.cancel({ merchant_uid: "m_1", amount: 100 }, { confirm: false })
      )
      const error = failure(result)
      assert.strictEqual(calls.length, 1)
      assert.strictEqual(error._tag, "IamportTransportError")
      if (error._tag !== "IamportTransportError") return
      assert.isTrue(error.mayHaveBeenProcessed)
      assert.include(error.message, "outcome is unknown")
    })
  )

  it.effect("a cancel that times out is sent once and fails with a Timeout", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ hang: true }],
        Payments.cancel({ imp_uid: "imp_1" }, { confirm: false }),
        {
          timeout: "10 seconds"
        }
      )
      const error = failure(result)
      assert.strictEqual(calls.length, 1)
      assert.strictEqual(error._tag === "IamportTransportError" && error.reason, "Timeout")
    })
  )

  it.effect("a read that times out is retried", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ hang: true }, { status: 200, body: ScriptedServer.envelope(payment) }],
        Payments.getPayment("imp_1"),
        { timeout: "10 seconds" }
      )
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls.length, 2)
    })
  )

  it.effect("a 401 invalidates the token, refreshes once and replays the write once", () =>
    Effect.gen(function* () {
      const { result, calls, tokenCalls } = yield* run(
        [
          { status: 401, body: ScriptedServer.envelope(null, -1, "Unauthorized") },
          { status: 200, body: ScriptedServer.envelope(payment) }
        ],
        Payments.cancel({ imp_uid: "imp_1" }, { confirm: false })
      )
      assert.strictEqual(result._tag, "Right")
      assert.deepStrictEqual(
        calls.map((c) => c.authorization),
        ["Bearer token-0", "Bearer token-1"]
      )
      assert.strictEqual(tokenCalls, 2)
    })
  )

  it.effect("a second 401 with a fresh token is IamportUnauthorizedError, not a loop", () =>
    Effect.gen(function* () {
      const { result, calls, tokenCalls } = yield* run(
        [{ status: 401, body: ScriptedServer.envelope(null, -1, "Unauthorized") }],
        Payments.getPayment("imp_1")
      )
      const error = failure(result)
      assert.strictEqual(error._tag, "IamportUnauthorizedError")
      assert.strictEqual(calls.length, 2)
      assert.strictEqual(tokenCalls, 2)
    })
  )

  it.effect("wrong credentials are IamportInvalidCredentialsError and no API call is made", () =>
    Effect.gen(function* () {
      const { result, calls, tokenCalls } = yield* run(
        [{ status: 200, body: ScriptedServer.envelope(payment) }],
        Payments.getPayment("imp_1"),
        { apiSecret: Redacted.make("wrong-secret-value") }
      )
      const error = failure(result)
      assert.strictEqual(error._tag, "IamportInvalidCredentialsError")
      assert.strictEqual(calls.length, 0)
      assert.strictEqual(tokenCalls, 0)
      for (const text of [error.message, String(error), JSON.stringify(error)]) {
        assert.notInclude(text, "wrong-secret-value")
      }
    })
  )

  const hostile = ["../users/getToken", "a/b", "?x=1", "#frag", "a%2Fb", "..%2F..", "imp 1", "한글", "\u0000", "a;b=c"]
  for (const id of hostile) {
    it.effect(`the id ${JSON.stringify(id)} stays inside its one path segment`, () =>
      Effect.gen(function* () {
        const { calls } = yield* run(
          [{ status: 404, body: ScriptedServer.envelope(null, -1, "no") }],
          Payments.getPayment(id)
        )
        const url = new URL(calls[0]!.url)
        const segments = url.pathname.split("/")
        assert.strictEqual(segments.length, 3)
        assert.strictEqual(segments[1], "payments")
        assert.strictEqual(decodeURIComponent(segments[2]!), id)
        assert.strictEqual(url.search, "")
        assert.strictEqual(url.hash, "")
      })
    )
  }

  for (const id of ["", ".", "..", "\uD800"]) {
    it.effect(`the id ${JSON.stringify(id)} is refused before sending`, () =>
      Effect.gen(function* () {
        const { result, calls } = yield* run([{ status: 200, body: "{}" }], Payments.getPayment(id))
        const error = failure(result)
        assert.strictEqual(error._tag, "IamportInvalidArgumentError")
        assert.strictEqual(calls.length, 0)
      })
    )
  }

  it.effect("getPayments reports the ids a 207 answer left out", () =>
    Effect.gen(function* () {
      const { result, calls } = yield* run(
        [{ status: 207, body: ScriptedServer.envelope([payment]) }],
        Payments.getPayments({ imp_uid: ["imp_1", "imp_2"], merchant_uid: ["m_9"] })
      )
      assert.strictEqual(result._tag, "Right")
      if (result._tag !== "Right") return
      assert.deepStrictEqual(result.right.missing.imp_uid, ["imp_2"])
      assert.deepStrictEqual(result.right.missing.merchant_uid, ["m_9"])
      assert.strictEqual(result.right.found.length, 1)
      const url = new URL(calls[0]!.url)
      assert.deepStrictEqual(url.searchParams.getAll("imp_uid[]"), ["imp_1", "imp_2"])
    })
  )
})

describe("a second 401 after a fresh token, against the emulator", () => {
  const { Fault } = IamportEmulator

  /**
   * Caches a token, makes the next lookup's first attempt a 401, arranges the rest, runs `during` meanwhile;
   * the client's timeout outlasts any held-back answer.
   */
  const rejectedLookup = (
    arrange: (emulator: IamportEmulator.Service) => Effect.Effect<void>,
    during: Effect.Effect<void> = Effect.void
  ) =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const { imp_uid } = yield* emulator.seedPayment()
      yield* Payments.getPayment(imp_uid)
      yield* emulator.injectFaults(Fault.Unauthorized(), { route: "/payments" })
      yield* arrange(emulator)
      const fiber = yield* Effect.fork(Effect.either(Payments.getPayment(imp_uid)))
      yield* during
      return { error: failure(yield* Fiber.join(fiber)), counters: yield* emulator.counters }
    }).pipe(Effect.provide(IamportTest.layer({ client: { timeout: "1 hour" } })))

  it.effect("a fresh token whose lifetime ran out before it was sent is IamportTokenExpiredError", () =>
    Effect.gen(function* () {
      // the refresh's answer arrives 31 minutes late: the 30-minute token it carries is expired by then
      const late = Duration.minutes(31)
      const heldBack = Effect.map(Clock.currentTimeMillis, (now) => now + Duration.toMillis(late))
      const { counters, error } = yield* rejectedLookup(
        (emulator) => emulator.injectFaults(Fault.Delay({ duration: late }), { route: "/users/getToken" }),
        // the refresh runs in the cache's own fiber: wait until the emulator holds its answer, then let time pass
        Effect.flatMap(heldBack, (due) =>
          Effect.repeat(Effect.zipRight(Effect.yieldNow(), TestClock.sleeps()), { until: Chunk.contains(due) })
        ).pipe(Effect.zipRight(TestClock.adjust(late)))
      )
      assert.strictEqual(error._tag, "IamportTokenExpiredError")
      assert.strictEqual(counters.expiredTokensPresented, 1)
      assert.strictEqual(counters.requests["GET /payments/{imp_uid}"], 3)
      assert.strictEqual(counters.tokensIssued, 1) // the refresh got the same token back, with its old expiry
    })
  )

  it.effect("a fresh, unexpired token that is rejected is IamportUnauthorizedError", () =>
    Effect.gen(function* () {
      const { counters, error } = yield* rejectedLookup((emulator) =>
        emulator.injectFaults(Fault.Unauthorized(), { route: "/payments" })
      )
      assert.strictEqual(error._tag, "IamportUnauthorizedError")
      assert.strictEqual(counters.expiredTokensPresented, 0)
      assert.strictEqual(counters.requests["GET /payments/{imp_uid}"], 3)
      assert.strictEqual(counters.tokensIssued, 1)
    })
  )
})
