/**
 * `IamportEmulator.transport`, the client's transport straight onto the emulator, against the same emulator
 * over the in-process `HttpClient` (`IamportTransport.fromHttpClient`): the same answers and the same errors
 * for routes, faults, time limits and size caps; and `IamportTest.layer` on it, with no `HttpClient` in the way.
 */
import { HttpClient } from "@effect/platform"
import { IamportClient, IamportError, IamportTransport, Payments } from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, Option, Redacted, TestClock, Tracer } from "effect"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { credentials } from "./helpers.js"

const { Fault } = IamportEmulator

type Carrier = (
  emulator: IamportEmulator.Service,
  options: IamportTransport.Options
) => IamportTransport.IamportTransport

/** The transport under test, and the one over HTTP objects it must agree with. */
const carriers: ReadonlyArray<readonly [string, Carrier]> = [
  ["in memory", (emulator, options) => IamportEmulator.transport(emulator, options)],
  [
    "HttpClient",
    (emulator, options) => IamportTransport.fromHttpClient(IamportEmulator.makeHttpClient(emulator), options)
  ]
]

/** A fresh emulator and `carrier`'s transport onto it. */
const setUp = (carrier: Carrier, options: IamportTransport.Options = {}, emulatorOptions?: IamportEmulator.Options) =>
  Effect.map(IamportEmulator.make(emulatorOptions), (emulator) => ({ emulator, send: carrier(emulator, options) }))

const tokenRequest: IamportTransport.Request = {
  method: "POST",
  path: "/users/getToken",
  headers: { accept: "application/json" },
  body: JSON.stringify(credentials)
}

const token = (send: IamportTransport.IamportTransport) =>
  Effect.map(send("POST /users/getToken", tokenRequest), (a) => JSON.parse(a.body).response.access_token as string)

const bearer = (t: string) => ({ accept: "application/json", authorization: `Bearer ${t}` })

/** The fields of an error that say what went wrong. */
const describeError = (error: IamportTransport.Failure) =>
  error._tag === "IamportTransportError"
    ? {
        _tag: error._tag,
        reason: error.reason,
        mayHaveBeenProcessed: error.mayHaveBeenProcessed,
        description: error.description
      }
    : error._tag === "IamportDecodeError"
      ? { _tag: error._tag, status: error.status, issue: error.issue }
      : { _tag: error._tag, argument: error.argument }

const failure = <A>(result: Either.Either<A, IamportTransport.Failure>) => {
  assert.isTrue(Either.isLeft(result), "expected a failure")
  return describeError((result as Either.Left<IamportTransport.Failure, A>).left)
}

for (const [name, carrier] of carriers) {
  describe(`transport (${name})`, () => {
    it.scoped("routes: a payment, 404, 405 with no body read, 401 without a token, 413, a bad JSON body", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier, {}, { maxBodyBytes: 200 })
        yield* emulator.seedPayment({ imp_uid: "imp_000000000001", amount: 50_000 })
        const t = yield* token(send)
        const paid = yield* send("GET /payments/{imp_uid}", {
          method: "GET",
          path: "/payments/imp_000000000001",
          headers: bearer(t)
        })
        assert.strictEqual(paid.status, 200)
        assert.strictEqual(JSON.parse(paid.body).response.amount, 50_000)
        assert.isUndefined(paid.retryAfter)
        const statusOf = (method: IamportTransport.Request["method"], path: string, body?: string) =>
          Effect.map(send("x", { method, path, headers: bearer(t), body }), (a) => [a.status, JSON.parse(a.body).code])
        assert.deepStrictEqual(yield* statusOf("GET", "/nope"), [404, -1])
        assert.deepStrictEqual(yield* statusOf("DELETE", "/users/getToken"), [405, -1])
        assert.deepStrictEqual(yield* statusOf("POST", "/payments/prepare", `{"pad":"${"x".repeat(200)}"}`), [413, -1])
        assert.deepStrictEqual(yield* statusOf("POST", "/payments/prepare", `{"merchant_uid":`), [400, -1])
        const anonymous = yield* send("x", { method: "GET", path: "/payments/imp_000000000001", headers: {} })
        assert.strictEqual(anonymous.status, 401)
        const counters = yield* emulator.counters
        assert.deepStrictEqual(
          counters.recent.map((r) => [r.route, r.status]),
          [
            ["POST /users/getToken", 200],
            ["GET /payments/{imp_uid}", 200],
            [null, 404],
            [null, 405],
            ["POST /payments/prepare", 413],
            ["POST /payments/prepare", 400],
            ["GET /payments/{imp_uid}", 401]
          ]
        )
      })
    )

    it.scoped("a hostile id stays one path segment: the payment route, the id decoded", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier)
        const id = "../users/getToken?x=1#frag"
        yield* emulator.seedPayment({ imp_uid: id, amount: 777 })
        const t = yield* token(send)
        const answer = yield* send("GET /payments/{imp_uid}", {
          method: "GET",
          path: `/payments/${encodeURIComponent(id)}`,
          headers: bearer(t)
        })
        assert.strictEqual(answer.status, 200)
        assert.strictEqual(JSON.parse(answer.body).response.imp_uid, id)
        const last = (yield* emulator.counters).recent.at(-1)!
        assert.strictEqual(last.route, "GET /payments/{imp_uid}")
        assert.deepStrictEqual(last.params, { imp_uid: id })
        assert.strictEqual((yield* emulator.counters).tokensIssued, 1)
      })
    )

    const lost = [
      // dropped before any answer: recorded with status 0, nothing done
      ["Drop", Fault.Drop(), "transport error", 0, 0],
      // processed, its answer cut short: the token was issued
      ["CutBody", Fault.CutBody(), "answer body lost", 200, 1]
    ] as const
    for (const [tag, fault, description, status, tokensIssued] of lost) {
      it.scoped(`${tag}: a lost connection that may have been processed`, () =>
        Effect.gen(function* () {
          const { emulator, send } = yield* setUp(carrier)
          yield* emulator.injectFaults(fault)
          assert.deepStrictEqual(failure(yield* Effect.either(send("POST /users/getToken", tokenRequest))), {
            _tag: "IamportTransportError",
            reason: "Connection",
            mayHaveBeenProcessed: true,
            description
          })
          const counters = yield* emulator.counters
          assert.deepStrictEqual(
            counters.recent.map((r) => r.status),
            [status]
          )
          assert.strictEqual(counters.tokensIssued, tokensIssued)
        })
      )
    }

    it.scoped("Status 429 or 503 with retryAfter: the answer carries Retry-After; other statuses do not", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier)
        yield* emulator.injectFaults(Fault.Status({ status: 429, retryAfter: 3 }))
        yield* emulator.injectFaults(Fault.Status({ status: 503, retryAfter: "Thu, 01 Jan 2026 00:00:04 GMT" }))
        yield* emulator.injectFaults(Fault.Status({ status: 500, retryAfter: 9 }))
        const answers = yield* Effect.all(Array.from({ length: 3 }, () => send("POST /users/getToken", tokenRequest)))
        assert.deepStrictEqual(
          answers.map((a) => [a.status, a.retryAfter]),
          [
            [429, "3"],
            [503, "Thu, 01 Jan 2026 00:00:04 GMT"],
            [500, undefined]
          ]
        )
        assert.deepStrictEqual(JSON.parse(answers[0]!.body), { code: -1, message: "Too Many Requests", response: null })
      })
    )

    it.scoped("an answer over maxResponseBytes is an IamportDecodeError", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier, { maxResponseBytes: 400 })
        const payment = yield* emulator.seedPayment({ amount: 1000 })
        const t = yield* token(send)
        const request = { method: "GET", path: `/payments/${payment.imp_uid}`, headers: bearer(t) } as const
        assert.deepStrictEqual(failure(yield* Effect.either(send("GET /payments/{imp_uid}", request))), {
          _tag: "IamportDecodeError",
          status: 200,
          issue: "answer body larger than maxResponseBytes (400 bytes)"
        })
      })
    )

    it.scoped("Delay shorter than the time limit: the answer once the delay has passed (TestClock)", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier, { timeout: "5 seconds" })
        yield* emulator.injectFaults(Fault.Delay({ duration: "2 seconds" }))
        const fiber = yield* Effect.fork(send("POST /users/getToken", tokenRequest))
        yield* TestClock.adjust("1 second")
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("1 second")
        assert.strictEqual((yield* Fiber.join(fiber)).status, 200)
      })
    )

    it.scoped("Delay as long as the time limit or longer: Timeout, and the write was processed (TestClock)", () =>
      Effect.gen(function* () {
        const { emulator, send } = yield* setUp(carrier, { timeout: "5 seconds" })
        const payment = yield* emulator.seedPayment({ amount: 1000 })
        const t = yield* token(send)
        yield* emulator.injectFaults(Fault.Delay({ duration: "1 minute" }))
        const fiber = yield* Effect.fork(
          Effect.either(
            send("POST /payments/cancel", {
              method: "POST",
              path: "/payments/cancel",
              headers: bearer(t),
              body: JSON.stringify({ imp_uid: payment.imp_uid })
            })
          )
        )
        yield* TestClock.adjust("4 seconds")
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(failure(yield* Fiber.join(fiber)), {
          _tag: "IamportTransportError",
          reason: "Timeout",
          mayHaveBeenProcessed: true,
          description: "no answer within 5s"
        })
        const cancelled = yield* emulator.payment(payment.imp_uid)
        assert.strictEqual(Option.getOrThrow(cancelled).status, "cancelled", "processed before the answer was held")
      })
    )
  })
}

describe("transport (in memory) only", () => {
  it.scoped("admin routes answer through it too; a base URL's path prefixes every request", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.make()
      const send = IamportEmulator.transport(emulator)
      const routes = yield* send("x", { method: "GET", path: "/__emulator/routes", headers: {} })
      assert.strictEqual(routes.status, 200)
      assert.include(JSON.parse(routes.body).response, "GET /__emulator/counters")
      const prefixed = IamportEmulator.transport(emulator, { baseUrl: "http://iamport.emulator/v1/" })
      assert.strictEqual((yield* prefixed("POST /users/getToken", tokenRequest)).status, 404)
      assert.strictEqual((yield* emulator.counters).recent[0]!.rawPath, "/v1/users/getToken")
      const invalid = IamportEmulator.transport(emulator, { baseUrl: "iamport.emulator" })
      assert.deepStrictEqual(failure(yield* Effect.either(invalid("POST /users/getToken", tokenRequest))), {
        _tag: "IamportInvalidArgumentError",
        argument: "baseUrl"
      })
    })
  )

  it.scoped("a Delay exactly as long as the time limit is a timeout", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.make()
      const send = IamportEmulator.transport(emulator, { timeout: "5 seconds" })
      yield* emulator.injectFaults(Fault.Delay({ duration: "5 seconds" }))
      const fiber = yield* Effect.fork(Effect.either(send("POST /users/getToken", tokenRequest)))
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(failure(yield* Fiber.join(fiber))._tag, "IamportTransportError")
    })
  )

  it.scoped("a Service this package did not make is reached through its app", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.make()
      // a copy of its string-keyed members only
      const copy = Object.fromEntries(Object.entries(emulator)) as unknown as IamportEmulator.Service
      assert.strictEqual((yield* IamportEmulator.transport(copy)("POST /users/getToken", tokenRequest)).status, 200)
      assert.strictEqual((yield* emulator.counters).tokensIssued, 1)
    })
  )

  it.effect("IamportClient.makeWith on it needs no HttpClient; Retry-After is honoured by the client's retries", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ amount: 1000 })
      yield* Payments.getPayment(payment.imp_uid)
      yield* emulator.injectFaults(Fault.Status({ status: 429, retryAfter: 3 }), { route: "/payments" })
      const fiber = yield* Effect.fork(Payments.getPayment(payment.imp_uid))
      yield* TestClock.adjust("2 seconds")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)), "waiting for the server's Retry-After")
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Fiber.join(fiber)).amount, 1000)
      assert.strictEqual((yield* emulator.counters).requests["GET /payments/{imp_uid}"], 3)
    }).pipe(
      Effect.provide(
        Layer.scopedContext(
          Effect.flatMap(IamportEmulator.IamportEmulator, (emulator) =>
            IamportClient.makeWith(IamportEmulator.transport(emulator), {
              apiKey: IamportEmulator.DEFAULT_API_KEY,
              apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET)
            })
          )
        ).pipe(Layer.provideMerge(IamportEmulator.layer()))
      )
    )
  )
})

/** Runs `effect` with a tracer that notes each span's name (and makes it as the current tracer would). */
const spanNames = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const names: Array<string> = []
    const current = yield* Effect.tracer
    const tracer = Tracer.make({
      span: (name, ...rest) => {
        names.push(name)
        return current.span(name, ...rest)
      },
      context: current.context
    })
    yield* Effect.withTracer(effect, tracer)
    return names
  })

describe("IamportTest.layer", () => {
  it.effect("a header value HTTP cannot carry (a Korean tier) fails before anything is sent, as over a socket", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const error = yield* Effect.flip(Payments.getPayment("imp_000000000001"))
      assert.strictEqual(error._tag, "IamportInvalidArgumentError")
      assert.deepStrictEqual(error, IamportTransport.unsendable("GET /payments/{imp_uid}"))
      const counters = yield* emulator.counters
      assert.isFalse(
        counters.recent.some((r) => r.method === "GET"),
        "the GET reached the emulator"
      )
    }).pipe(
      Effect.provide(
        IamportTest.layer({
          tiers: ["티어"],
          client: { tier: "티어" },
          payments: [{ imp_uid: "imp_000000000001", amount: 50_000 }]
        })
      )
    )
  )

  it.effect("the client's calls go through no HttpClient; one is still provided for the test's own requests", () =>
    Effect.gen(function* () {
      const names = yield* spanNames(Payments.getPayment("imp_000000000001"))
      assert.include(names, "Iamport GET /payments/{imp_uid}")
      assert.isFalse(
        names.some((n) => n.startsWith("http.client")),
        names.join(", ")
      )
      const client = yield* Effect.serviceOption(HttpClient.HttpClient)
      assert.isTrue(Option.isSome(client))
      const answer = yield* Option.getOrThrow(client).get("https://api.iamport.kr/__emulator/counters")
      assert.strictEqual(answer.status, 200)
    }).pipe(Effect.provide(IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", amount: 50_000 }] })))
  )

  it.effect("with client.transformClient, the client runs on the in-process HttpClient it transforms", () => {
    const seen: Array<string> = []
    const transformClient = (client: HttpClient.HttpClient) =>
      HttpClient.tapRequest(client, (request) => Effect.sync(() => seen.push(`${request.method} ${request.url}`)))
    return Effect.gen(function* () {
      const names = yield* spanNames(Payments.getPayment("imp_000000000001"))
      assert.isTrue(names.some((n) => n.startsWith("http.client")))
      assert.deepStrictEqual(seen, [
        "POST http://iamport.emulator/users/getToken",
        "GET http://iamport.emulator/payments/imp_000000000001"
      ])
    }).pipe(
      Effect.provide(
        IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", amount: 50_000 }], client: { transformClient } })
      )
    )
  })

  it.effect("a client timeout shorter than a Delay is a Timeout (not confirmed here), the write processed", () =>
    Effect.gen(function* () {
      const emulator = yield* IamportEmulator.IamportEmulator
      const payment = yield* emulator.seedPayment({ amount: 1000 })
      yield* Payments.getPayment(payment.imp_uid)
      yield* emulator.injectFaults(Fault.Delay({ duration: "1 minute" }), { route: "/payments/cancel" })
      const fiber = yield* Effect.fork(
        Effect.either(Payments.cancel({ imp_uid: payment.imp_uid, reason: "test" }, { confirm: false }))
      )
      yield* TestClock.adjust("5 seconds")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result))
      const error = (result as Either.Left<IamportError.IamportError, unknown>).left
      assert.strictEqual(error._tag, "IamportTransportError")
      assert.strictEqual(error._tag === "IamportTransportError" && error.reason, "Timeout")
      assert.strictEqual(Option.getOrThrow(yield* emulator.payment(payment.imp_uid)).status, "cancelled")
    }).pipe(Effect.provide(IamportTest.layer({ client: { timeout: "5 seconds" } })))
  )
})
