import { IamportClient } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import { vi } from "vitest"
import {
  Payment,
  PaymentBalance,
  PaymentBalanceAmounts,
  PaymentBalanceHistory,
  PaymentCancel,
  PaymentPage,
  PaymentPrepare,
  Promotion,
  VbankDeposit
} from "../src/Payment.js"
import { fullApiPayment } from "./fixtures/apiPayment.js"
import { Fail, fastDecoder } from "../src/internal/fastDecode.js"
import { definitionSchemas } from "../src/generated/models.js"
import { decodeResponse } from "../src/internal/response.js"

type AnySchema = Schema.Schema<any, any, never>

/** Calls of `fastDecoder`, the fast path's only way in, wherever they come from. */
const fastDecoderCalls = vi.hoisted(() => ({ count: 0 }))
vi.mock("../src/internal/fastDecode.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/internal/fastDecode.js")>()
  return {
    ...original,
    fastDecoder: ((schema) => {
      fastDecoderCalls.count++
      return original.fastDecoder(schema)
    }) satisfies typeof original.fastDecoder
  }
})

const schemaDecode = (schema: AnySchema, input: unknown) =>
  Schema.decodeUnknownEither(schema)(input, { onExcessProperty: "ignore" })

/**
 * Where `a` and `b` differ (a path), or `undefined`: same prototypes, same own enumerable keys in the same
 * order, DateTimes by instant, everything else recursively, primitives with `Object.is`.
 */
const difference = (a: unknown, b: unknown, path = "$"): string | undefined => {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} !== ${String(b)}`
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different prototypes`
  if (DateTime.isDateTime(a) && DateTime.isDateTime(b)) {
    return DateTime.Equivalence(a, b) ? undefined : `${path}: different instants`
  }
  const keysA = Reflect.ownKeys(a).filter((k) => Object.prototype.propertyIsEnumerable.call(a, k))
  const keysB = Reflect.ownKeys(b).filter((k) => Object.prototype.propertyIsEnumerable.call(b, k))
  if (keysA.map(String).join() !== keysB.map(String).join()) {
    return `${path}: keys [${keysA.map(String)}] vs [${keysB.map(String)}]`
  }
  for (const key of keysA) {
    const d = difference((a as any)[key], (b as any)[key], `${path}.${String(key)}`)
    if (d !== undefined) return d
  }
  return undefined
}

interface Tally {
  fast: number
  fail: number
}

/**
 * The property under test: when the fast path returns a value, Schema succeeds with a value equal to it;
 * and (for the schemas here, which need no fallback) the fast path refuses only what Schema rejects.
 */
const check = (schema: AnySchema, input: unknown, tally?: Tally): void => {
  const fast = fastDecoder(schema)(input)
  const slow = schemaDecode(schema, input)
  if (tally) fast === Fail ? tally.fail++ : tally.fast++
  if (fast === Fail) {
    if (Either.isRight(slow)) {
      assert.fail(`fast path refused what Schema decodes: ${JSON.stringify(input)}`)
    }
    return
  }
  if (Either.isLeft(slow)) {
    assert.fail(`fast path decoded what Schema rejects: ${JSON.stringify(input)}\n${slow.left.message}`)
  }
  const d = difference(fast, slow.right)
  if (d !== undefined) assert.fail(`fast and Schema values differ at ${d}, input ${JSON.stringify(input)}`)
}

/** Every response schema: the generated definitions and the hand-written payment models. */
const responseSchemas: ReadonlyArray<readonly [string, AnySchema]> = [
  ...Object.entries(definitionSchemas).map(([name, { schema }]) => [name, schema] as const),
  ...(
    [
      ["Payment", Payment],
      ["PaymentPage", PaymentPage],
      ["PaymentCancel", PaymentCancel],
      ["VbankDeposit", VbankDeposit],
      ["Promotion", Promotion],
      ["PaymentPrepare", PaymentPrepare],
      ["PaymentBalance", PaymentBalance],
      ["PaymentBalanceAmounts", PaymentBalanceAmounts],
      ["PaymentBalanceHistory", PaymentBalanceHistory]
    ] as const
  ).map(([name, schema]) => [`model ${name}`, schema as AnySchema] as const)
]

// Classes whose construction is more than a copy of the decoded fields: constructor defaults (one of which
// may be decoded as `undefined`, and then put in), a `_tag` put back, an instance field.
class WithDefaults extends Schema.Class<WithDefaults>("WithDefaults")({
  a: Schema.optional(Schema.Number),
  b: Schema.optionalWith(Schema.String, { default: () => "b" }),
  c: Schema.UndefinedOr(Schema.Number).pipe(
    Schema.propertySignature,
    Schema.withConstructorDefault(() => 2)
  )
}) {}
class OptionalWithDefault extends Schema.Class<OptionalWithDefault>("OptionalWithDefault")({
  a: Schema.optionalWith(Schema.Number, { default: () => 4 }),
  b: Schema.optional(Schema.String).pipe(Schema.withConstructorDefault(() => "b"))
}) {}
class Tagged extends Schema.TaggedClass<Tagged>()("Tagged", { a: Schema.Number }) {}
class WithField extends Schema.Class<WithField>("WithField")({ a: Schema.Number }) {
  readonly extra: number = 1
}
class Plain extends Schema.Class<Plain>("Plain")({ a: Schema.Number, b: Schema.optional(Schema.String) }) {
  get twice(): number {
    return this.a * 2
  }
}

/** Schemas that exercise the node kinds and shapes the models do not use (delegated or unfused). */
const otherSchemas: ReadonlyArray<readonly [string, AnySchema]> = [
  ["NumberFromString in a struct", Schema.Struct({ a: Schema.NumberFromString, b: Schema.optional(Schema.String) })],
  ["union trying a transformation first", Schema.Union(Schema.NumberFromString, Schema.String, Schema.Number)],
  [
    "tagged union (search tree)",
    Schema.Union(
      Schema.TaggedStruct("A", { a: Schema.Number }),
      Schema.TaggedStruct("B", { b: Schema.String }),
      Schema.Struct({ c: Schema.Boolean })
    )
  ],
  ["record (index signature)", Schema.Record({ key: Schema.String, value: Schema.Number })],
  ["tuple", Schema.Tuple(Schema.String, Schema.optionalElement(Schema.Number))],
  [
    "struct refusing excess properties",
    Schema.Struct({ a: Schema.String }).annotations({ parseOptions: { onExcessProperty: "error" } })
  ],
  [
    "renamed key",
    Schema.Struct({ a: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("A")), b: Schema.Number })
  ],
  [
    "exact optional with default",
    Schema.Struct({ a: Schema.optionalWith(Schema.Number, { exact: true, default: () => 0 }) })
  ],
  ["optional as Option", Schema.Struct({ a: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }) })],
  [
    "refinements in a union",
    Schema.Union(Schema.String.pipe(Schema.minLength(2)), Schema.Literal("a", 1), Schema.Null)
  ],
  [
    "tagged member declared after an untagged one",
    Schema.Union(Schema.Struct({ a: Schema.optional(Schema.Number) }), Schema.TaggedStruct("A", { a: Schema.Number }))
  ],
  ["renamed optional key", Schema.Struct({ a: Schema.optional(Schema.String).pipe(Schema.fromKey("A")) })],
  [
    "property transformation whose result the `to` side rejects",
    Schema.Struct({
      a: Schema.optionalToOptional(Schema.String, Schema.String.pipe(Schema.minLength(3)), {
        decode: (o) => o,
        encode: (o) => o
      })
    })
  ],
  [
    "keys found on Object.prototype",
    Schema.Struct({ toString: Schema.optional(Schema.String), a: Schema.optional(Schema.Number) })
  ],
  [
    "transformation whose result the `to` side rejects",
    Schema.transform(Schema.String, Schema.String.pipe(Schema.maxLength(2)), {
      strict: true,
      decode: (s) => s,
      encode: (s) => s
    })
  ],
  [
    "failing transformation whose `to` side accepts undefined",
    Schema.transformOrFail(Schema.String, Schema.UndefinedOr(Schema.String), {
      strict: true,
      decode: (s, _, ast) =>
        s.length % 2 === 1 ? ParseResult.fail(new ParseResult.Type(ast, s)) : ParseResult.succeed(s),
      encode: (s) => ParseResult.succeed(s ?? "")
    })
  ],
  ["declaration with a transformation inside", Schema.OptionFromSelf(Schema.NumberFromString)],
  ["Option of a class", Schema.OptionFromSelf(Plain)],
  ["suspended", Schema.suspend(() => Schema.Struct({ a: Schema.String }))],
  ["Date from string", Schema.Struct({ at: Schema.Date })],
  ["class with constructor defaults", WithDefaults],
  ["class with an optional field with a constructor default", OptionalWithDefault],
  ["tagged class", Tagged],
  ["class with an instance field", WithField],
  ["class with a getter", Plain],
  ["array of classes", Schema.Array(Plain)]
]

// `Arbitrary.make` builds arbitraries of the fast-check that effect bundles (`effect/FastCheck`), so properties
// over them run with that one; the hand-made mutations use the `fast-check` dev dependency.

/** Encoded (wire) values of valid decoded values: every one of them must be decoded by the fast path. */
const validInputs = (schema: AnySchema) =>
  Arbitrary.make(schema)
    .map((value) => Schema.encodeEither(schema)(value))
    .filter(Either.isRight)
    .map((encoded) => JSON.parse(JSON.stringify(encoded.right) ?? "null") as unknown)

/** Anything of the encoded side's shape (including `undefined` values, non-numeric strings for numbers...). */
const encodedInputs = (schema: AnySchema): FastCheck.Arbitrary<unknown> => {
  try {
    return Arbitrary.make(Schema.encodedSchema(schema))
  } catch {
    // a declaration without an arbitrary on the encoded side (`OptionFromSelf(NumberFromString)`)
    return FastCheck.oneof(FastCheck.anything(), FastCheck.option(FastCheck.string()).map(Option.fromNullable))
  }
}

/** The full payment of the fixtures as a card payment: no virtual account, nulls where the API sends them. */
const fullPayment = {
  ...fullApiPayment,
  bank_code: null,
  bank_name: null,
  vbank_code: null,
  vbank_name: null,
  vbank_num: null,
  vbank_holder: null,
  vbank_date: 0,
  vbank_issued_at: 0,
  fail_reason: null,
  deposit_history: [],
  customer_uid: null,
  customer_uid_usage: null
}

describe("fastDecoder", () => {
  it("decodes a realistic payment on the fast path, equal to Schema's value", () => {
    const input = JSON.parse(JSON.stringify(fullPayment))
    const fast = fastDecoder(Payment)(input)
    assert.notStrictEqual(fast, Fail)
    assert.instanceOf(fast, Payment)
    check(Payment, input)
    const payment = fast as Payment
    assert.strictEqual(payment.cancellableAmount, 63900)
    assert.isTrue(Option.isNone(payment.failed_at))
    assert.deepStrictEqual(Option.map(payment.paid_at, DateTime.toEpochMillis), Option.some(1700000000000))
    assert.instanceOf(payment.cancel_history[0], PaymentCancel)
    assert.instanceOf(payment.promotion, Promotion)
    assert.isFalse("bank_code" in payment)

    const page = JSON.parse(JSON.stringify({ total: 2, previous: 0, next: 2, list: [fullPayment, fullPayment] }))
    assert.notStrictEqual(fastDecoder(PaymentPage)(page), Fail)
    check(PaymentPage, page)
  })

  it.effect("decodes the emulator's payments on the fast path", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2024, 4, 1, 12))
      const emulator = yield* IamportEmulator.IamportEmulator
      const seeds = [
        {},
        { pay_method: "vbank", status: "ready" as const },
        { pay_method: "trans", status: "cancelled" as const },
        { status: "failed" as const },
        { amount: 12.5, currency: "USD", pay_method: "paypal" }
      ]
      for (const seed of seeds) {
        const input = JSON.parse(JSON.stringify(yield* emulator.seedPayment(seed)))
        assert.notStrictEqual(fastDecoder(Payment)(input), Fail, JSON.stringify(input))
        check(Payment, input)
      }
    }).pipe(Effect.provide(IamportEmulator.layer()))
  )

  it("matches Schema on every response schema (valid wire values and anything of the wire shape)", () => {
    const valid: Tally = { fast: 0, fail: 0 }
    const any: Tally = { fast: 0, fail: 0 }
    for (const [name, schema] of responseSchemas) {
      const validRuns = { fast: 0, fail: 0 }
      FastCheck.assert(
        FastCheck.property(validInputs(schema), (input) => check(schema, input, validRuns)),
        { numRuns: 40 }
      )
      // a valid value must never need the fallback
      expect(validRuns.fail, name).toBe(0)
      valid.fast += validRuns.fast
      FastCheck.assert(
        FastCheck.property(encodedInputs(schema), (input) => check(schema, input, any)),
        { numRuns: 40 }
      )
    }
    console.info(
      `fast path over ${responseSchemas.length} response schemas: valid inputs ${valid.fast} decoded, ` +
        `${valid.fail} refused; wire-shaped inputs ${any.fast} decoded, ${any.fail} refused (Schema rejects them too)`
    )
    assert.isAbove(valid.fast, 0)
  })

  it("matches Schema on node kinds the models do not use", () => {
    for (const [, schema] of otherSchemas) {
      FastCheck.assert(
        FastCheck.property(validInputs(schema), (input) => check(schema, input)),
        { numRuns: 100 }
      )
      FastCheck.assert(
        FastCheck.property(encodedInputs(schema), (input) => check(schema, input)),
        { numRuns: 100 }
      )
      fc.assert(
        fc.property(fc.anything(), (input) => check(schema, input)),
        { numRuns: 100 }
      )
    }
  })

  it("delegates what changes parsing, and refuses what it cannot run synchronously", () => {
    const strict = Schema.Struct({ a: Schema.String }).annotations({ parseOptions: { onExcessProperty: "error" } })
    check(strict, { a: "x", b: 1 })
    check(strict, { a: "x" })
    assert.isTrue(Either.isLeft(schemaDecode(strict, { a: "x", b: 1 })))

    // a transformation returning an Effect: Schema runs it; the fast path leaves it to Schema
    const effectful = Schema.transformOrFail(Schema.String, Schema.String, {
      strict: true,
      decode: (s) => Effect.succeed(s.toUpperCase()),
      encode: (s) => Effect.succeed(s)
    })
    assert.strictEqual(fastDecoder(effectful)("x"), Fail)
    assert.deepStrictEqual(schemaDecode(effectful, "x"), Either.right("X"))
    const inUnion = Schema.Union(effectful, Schema.String)
    assert.strictEqual(fastDecoder(inUnion)("x"), Fail)
    assert.deepStrictEqual(schemaDecode(inUnion, "x"), Either.right("X"))
  })

  describe("mutated payments", () => {
    const weird: ReadonlyArray<unknown> = [
      null,
      "",
      " ",
      "1000",
      " 12.5 ",
      "0",
      "-0",
      "1e3",
      "0x10",
      "NaN",
      "Infinity",
      "-Infinity",
      "1e400",
      "abc",
      0,
      -0,
      1,
      -1,
      1.5,
      2 ** 53 + 2,
      1e21,
      8.64e12,
      8.64e12 + 1,
      1e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      [],
      [1],
      [{}],
      {},
      { amount: 1 },
      "card",
      "paid",
      "KRW",
      "2023-11-14T00:00:00Z"
    ]
    const nested = ["cancel_history.0", "deposit_history.0", "promotion"]
    const withDeposit = {
      ...fullPayment,
      deposit_history: [
        { pg_tid: "vbank_deposit_0001", amount: 64900, depositor_name: "홍길동", deposited_at: 1700001000 }
      ]
    }

    /** A deep copy of `base` with `value` at `path` (`undefined` removes the key); unchanged if there is no such path. */
    const mutate = (base: object, path: ReadonlyArray<string>, value: unknown): unknown => {
      const copy = structuredClone(base) as any
      let target = copy
      for (const key of path.slice(0, -1)) {
        target = target[key]
        if (typeof target !== "object" || target === null) return copy
      }
      const last = path[path.length - 1]
      if (value === undefined) delete target[last]
      else target[last] = value
      return copy
    }

    it("every field replaced by a wrong, borderline or missing value", () => {
      const tally: Tally = { fast: 0, fail: 0 }
      const paths: Array<Array<string>> = Object.keys(withDeposit).map((key) => [key])
      for (const prefix of nested) {
        const holder = prefix.split(".").reduce((o: any, k) => o[k], withDeposit)
        for (const key of Object.keys(holder)) paths.push([...prefix.split("."), key])
      }
      for (const path of paths) {
        for (const value of [...weird, undefined]) check(Payment, mutate(withDeposit, path, value), tally)
      }
      for (const value of weird) {
        check(Payment, value, tally)
        check(PaymentPage, { total: 1, previous: 0, next: 0, list: [value] }, tally)
      }
      console.info(`mutated payments: ${tally.fast} decoded on the fast path, ${tally.fail} refused`)
      assert.isAbove(tally.fast, 0)
      assert.isAbove(tally.fail, 0)
    })

    it("random combinations of mutations, extra properties and undefined values", () => {
      const paths = Object.keys(withDeposit)
        .map((key) => [key])
        .concat(
          nested.flatMap((p) => ["amount", "pg_tid", "cancelled_at", "id", "extra"].map((k) => [...p.split("."), k]))
        )
      const mutation = fc.tuple(
        fc.constantFrom(...paths),
        fc.oneof(fc.constantFrom(...weird, undefined), fc.jsonValue(), fc.anything())
      )
      fc.assert(
        fc.property(
          fc.array(mutation, { maxLength: 6 }),
          fc.dictionary(fc.string(), fc.jsonValue()),
          (mutations, extra) => {
            let input: any = { ...extra, ...withDeposit }
            for (const [path, value] of mutations) input = mutate(input, path, value)
            check(Payment, input)
          }
        ),
        { numRuns: 500 }
      )
    })

    it("inputs that are not JSON: undefined values, inherited keys, class instances", () => {
      check(Payment, { ...fullPayment, pay_method: undefined, sandbox: undefined, started_at: undefined })
      check(Payment, { ...fullPayment, imp_uid: undefined })
      check(Payment, Object.assign(Object.create({ status: "paid" }), { ...fullPayment, status: undefined }))
      const inherited: any = Object.create({ imp_uid: "imp_1", pay_method: "card" })
      Object.assign(inherited, fullPayment)
      delete inherited.imp_uid
      delete inherited.pay_method
      check(Payment, inherited)
      check(Payment, Object.assign(Object.create(null), fullPayment))
      check(Payment, new Payment(Schema.decodeUnknownSync(Payment)(fullPayment)))
      check(PaymentPage, { total: 1, previous: 0, next: 0, list: [new Map()] })
    })
  })

  describe("decodeResponse", () => {
    const envelope = (response: unknown) => ({ code: 0, apiMessage: undefined, response })

    it("returns the fast path's value for a good answer", () => {
      const result = decodeResponse("GET /payments/{imp_uid}", 200, envelope(fullPayment), Payment)
      assert.isTrue(Either.isRight(result))
      check(Payment, fullPayment)
      assert.isUndefined(difference(Either.getOrThrow(result), Schema.decodeUnknownSync(Payment)(fullPayment)))
    })

    it("reports a bad answer exactly as Schema does", () => {
      const bad = { ...fullPayment, amount: "12,000", cancel_history: [{ amount: 1, cancelled_at: "yesterday" }] }
      const expected = Either.getLeft(schemaDecode(Payment, bad)).pipe(Option.getOrThrow)
      const result = decodeResponse("GET /payments/{imp_uid}", 200, envelope(bad), Payment)
      const error = Either.getLeft(result).pipe(Option.getOrThrow)
      assert.strictEqual(error._tag, "IamportDecodeError")
      assert.strictEqual(error.status, 200)
      const message = `response does not match: ${ParseResult.TreeFormatter.formatErrorSync(expected)}`
      assert.strictEqual(error.issue, message.length > 1200 ? `${message.slice(0, 1200)}…` : message)

      const small = decodeResponse(
        "POST /payments/prepare",
        200,
        envelope({ merchant_uid: "m", amount: "x" }),
        PaymentPrepare
      )
      assert.strictEqual(
        Either.getLeft(small).pipe(Option.getOrThrow).issue,
        `response does not match: (PaymentPrepare (Encoded side) <-> PaymentPrepare)
└─ Encoded side transformation failure
   └─ PaymentPrepare (Encoded side)
      └─ Encoded side transformation failure
         └─ Struct (Encoded side)
            └─ ["amount"]
               └─ Amount
                  └─ Transformation process failure
                     └─ Expected a finite number, got "x"`
      )

      const redacted = decodeResponse("POST /users/getToken", 200, envelope({ merchant_uid: 1 }), PaymentPrepare, {
        redactValues: true
      })
      assert.strictEqual(
        Either.getLeft(redacted).pipe(Option.getOrThrow).issue,
        "response does not match at merchant_uid"
      )
    })
  })
})

describe("IamportClient.FastDecode", () => {
  const envelope = (response: unknown) => ({ code: 0, apiMessage: undefined, response })
  const bad = { ...fullPayment, amount: "12,000" }

  it("decodeResponse with fast: false never runs the fast path, and gives Schema's value and error", () => {
    const before = fastDecoderCalls.count
    const value = decodeResponse("GET /payments/{imp_uid}", 200, envelope(fullPayment), Payment, { fast: false })
    const error = decodeResponse("GET /payments/{imp_uid}", 200, envelope(bad), Payment, { fast: false })
    assert.strictEqual(fastDecoderCalls.count, before)
    const fastError = decodeResponse("GET /payments/{imp_uid}", 200, envelope(bad), Payment)
    assert.strictEqual(fastDecoderCalls.count, before + 1)
    assert.isUndefined(difference(Either.getOrThrow(value), Schema.decodeUnknownSync(Payment)(fullPayment)))
    assert.isTrue(Either.isLeft(error))
    assert.deepStrictEqual(error, fastError)
  })

  it.effect("on by default; provided false, the client decodes through Schema only, to the same values", () =>
    Effect.gen(function* () {
      assert.isTrue(yield* IamportClient.FastDecode)
      yield* TestClock.setTime(Date.UTC(2024, 4, 1, 12))
      const emulator = yield* IamportEmulator.IamportEmulator
      const { imp_uid } = yield* emulator.seedPayment({})
      const getPayment = IamportClient.request({
        method: "GET",
        path: "/payments/{imp_uid}",
        pathParams: { imp_uid },
        response: Payment
      })

      let before = fastDecoderCalls.count
      const fast = yield* getPayment // the token's answer and the payment's, on the fast path
      assert.isAbove(fastDecoderCalls.count, before)

      before = fastDecoderCalls.count
      const schemaOnly = yield* getPayment.pipe(Effect.provideService(IamportClient.FastDecode, false))
      assert.strictEqual(fastDecoderCalls.count, before)
      assert.instanceOf(schemaOnly, Payment)
      assert.isUndefined(difference(fast, schemaOnly))
    }).pipe(Effect.provide(IamportTest.layer()))
  )
})
