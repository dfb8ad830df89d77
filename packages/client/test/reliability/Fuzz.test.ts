/**
 * Fuzzing with fast-check, through the real pipeline (token cache, envelope,
 * schemas) over an in-process `HttpClient` that answers the fuzzed body:
 * - any bytes, any JSON, any envelope and any mutation of a valid answer, for
 *   every response schema, end in a value or a typed Iamport error, never a defect;
 * - any string as a path parameter stays inside its one segment, or is refused
 *   with `IamportInvalidArgumentError` before anything is sent.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { IamportClient, IamportError, Payment, Payments } from "@effect-iamport/client"
import { afterAll, assert, describe, it } from "@effect/vitest"
import {
  Arbitrary,
  Cause,
  Effect,
  Exit,
  FastCheck as fc3,
  Layer,
  ManagedRuntime,
  Option,
  Redacted,
  Schema
} from "effect"
import * as fc from "fast-check"

interface Answer {
  readonly status: number
  readonly body: Uint8Array | string
}

let answer: Answer = { status: 200, body: "" }
const urls: Array<URL> = []

const fuzzClient = HttpClient.make((request, url) =>
  Effect.sync(() => {
    if (url.pathname === "/users/getToken") {
      const token = { access_token: "fuzz0token0000000000000000", now: 1_700_000_000, expired_at: 1_700_001_800 }
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify({ code: 0, message: null, response: token }), { status: 200 })
      )
    }
    urls.push(url)
    return HttpClientResponse.fromWeb(
      request,
      new Response(answer.body as BodyInit, { status: answer.status, headers: { "content-type": "application/json" } })
    )
  })
)

const runtime = ManagedRuntime.make(
  IamportClient.layer({
    apiKey: "imp_apikey",
    apiSecret: Redacted.make("fuzz-secret"),
    baseUrl: "http://fuzz.test",
    retries: 0
  }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, fuzzClient)))
)
afterAll(() => runtime.dispose())

/** Success, or a failure whose only content is one typed Iamport error: no defect, no interruption. */
const assertValueOrTypedError = (exit: Exit.Exit<unknown, unknown>) => {
  if (Exit.isSuccess(exit)) return
  assert.isFalse(Cause.isDie(exit.cause), `defect: ${Cause.pretty(exit.cause)}`)
  const failure = Cause.failureOption(exit.cause)
  assert.isTrue(Option.isSome(failure) && IamportError.isIamportError(failure.value), Cause.pretty(exit.cause))
}

const statuses = fc.constantFrom(200, 200, 200, 201, 400, 401, 403, 404, 409, 429, 500, 502, 503)

const envelope = (response: unknown, code = 0, message: string | null = null) =>
  JSON.stringify({ code, message, response })

const schemas: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["Payment", Payment.Payment],
  ["PaymentPage", Payment.PaymentPage],
  ["PaymentPrepare", Payment.PaymentPrepare],
  ["PaymentBalance", Payment.PaymentBalance],
  ["Array<Payment>", Schema.Array(Payment.Payment)]
]

/** Valid wire JSON for `schema`, with some fields replaced by arbitrary JSON values. */
const mutatedValid = (schema: Schema.Schema<any, any>) => {
  const encode = Schema.encodeSync(schema)
  return fc3
    .tuple(Arbitrary.make(schema), fc3.array(fc3.tuple(fc3.string({ maxLength: 12 }), fc3.jsonValue({ maxDepth: 2 }))))
    .map(([value, replacements]) => {
      const wire = JSON.parse(JSON.stringify(encode(value))) as unknown
      if (typeof wire !== "object" || wire === null || Array.isArray(wire)) return wire
      const record = wire as Record<string, unknown>
      const keys = Object.keys(record)
      for (const [key, replacement] of replacements) {
        const target = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length]! : key
        record[target] = replacement
      }
      return record
    })
}

const run = (schema: Schema.Schema<any, any>, next: Answer) => {
  answer = next
  return runtime.runPromiseExit(IamportClient.request({ method: "GET", path: "/fuzz", response: schema }))
}

describe("fuzz: response bodies", () => {
  for (const [name, schema] of schemas) {
    it(`${name}: any bytes, JSON, envelope or mutated answer is a value or a typed error`, async () => {
      let successes = 0
      let failures = 0
      const count = (exit: Exit.Exit<unknown, unknown>) => {
        assertValueOrTypedError(exit)
        if (Exit.isSuccess(exit)) successes++
        else failures++
      }
      await fc.assert(
        fc.asyncProperty(statuses, fc.uint8Array({ maxLength: 256 }), async (status, body) =>
          count(await run(schema, { status, body }))
        ),
        { numRuns: 60 }
      )
      await fc.assert(
        fc.asyncProperty(statuses, fc.json({ maxDepth: 3 }), async (status, body) =>
          count(await run(schema, { status, body }))
        ),
        { numRuns: 60 }
      )
      await fc.assert(
        fc.asyncProperty(
          statuses,
          fc.oneof(fc.constant(0), fc.constant(0), fc.integer()),
          fc.option(fc.string()),
          fc.jsonValue({ maxDepth: 3 }),
          async (status, code, message, response) =>
            count(await run(schema, { status, body: envelope(response, code, message) }))
        ),
        { numRuns: 100 }
      )
      // (schema-derived arbitraries come from effect's own fast-check, version 3)
      await fc3.assert(
        fc3.asyncProperty(mutatedValid(schema), async (response) =>
          count(await run(schema, { status: 200, body: envelope(response) }))
        ),
        { numRuns: 100 }
      )
      // an unmutated valid answer always decodes (the generator is sound, so the mutations above mean something)
      await fc3.assert(
        fc3.asyncProperty(Arbitrary.make(schema), async (value) => {
          const exit = await run(schema, { status: 200, body: envelope(Schema.encodeSync(schema)(value)) })
          assert.isTrue(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")
        }),
        { numRuns: 25 }
      )
      assert.isAbove(successes, 0)
      assert.isAbove(failures, 0)
    })
  }
})

/** What `fillPath` must refuse, stated independently of it. */
const refused = (s: string): boolean => {
  if (s === "" || s === "." || s === ".." || s.length > 1024) return true
  try {
    encodeURIComponent(s)
    return false
  } catch {
    return true
  }
}

const hostile = fc.constantFrom(
  "/",
  ".",
  "..",
  "%",
  "%2F",
  "%2e%2e",
  "?",
  "#",
  "\\",
  " ",
  "a",
  "é",
  "😀",
  "\u0000",
  "\uD800",
  "\uDC00",
  "\r\n",
  "{imp_uid}",
  "&",
  "+",
  ";"
)

const pathInputs = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: hostile, maxLength: 8 }),
  fc.constantFrom("", ".", "..", "...", "./", "/..", "a".repeat(1024), "a".repeat(1025), "\uD83D")
)

const payment = { imp_uid: "imp_1", merchant_uid: "m_1", amount: 1, cancel_amount: 0, currency: "KRW", status: "paid" }

describe("fuzz: path parameters", () => {
  const cases = [
    {
      name: "getPayment",
      run: (id: string): Effect.Effect<unknown, IamportError.IamportError, IamportClient.IamportClient> =>
        Payments.getPayment(id),
      segments: (id: string) => ["", "payments", id]
    },
    {
      name: "getBalance",
      run: (id: string): Effect.Effect<unknown, IamportError.IamportError, IamportClient.IamportClient> =>
        Payments.getBalance(id),
      segments: (id: string) => ["", "payments", id, "balance"]
    }
  ] as const
  for (const c of cases) {
    it(`${c.name}: any string stays in its one segment, or is refused before sending`, async () => {
      let sent = 0
      let refusedCount = 0
      await fc.assert(
        fc.asyncProperty(pathInputs, async (input) => {
          answer = { status: 200, body: envelope(c.name === "getPayment" ? payment : { amount: 1, cash_receipts: [] }) }
          const before = urls.length
          const exit = await runtime.runPromiseExit(c.run(input))
          assertValueOrTypedError(exit)
          if (refused(input)) {
            refusedCount++
            const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
            assert.isTrue(Option.isSome(failure) && failure.value._tag === "IamportInvalidArgumentError")
            assert.strictEqual(urls.length, before, "nothing was sent")
            return
          }
          sent++
          assert.strictEqual(urls.length, before + 1)
          const url = urls[urls.length - 1]!
          assert.strictEqual(url.search, "")
          assert.strictEqual(url.hash, "")
          const raw = url.pathname.split("/")
          const expected = c.segments(input)
          assert.strictEqual(raw.length, expected.length)
          const at = expected.indexOf(input)
          assert.deepStrictEqual(
            raw.map((s, i) => (i === at ? decodeURIComponent(s) : s)),
            expected
          )
        }),
        { numRuns: 400 }
      )
      assert.isAbove(sent, 100)
      assert.isAbove(refusedCount, 5)
    })
  }
})
