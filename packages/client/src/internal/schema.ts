/**
 * Small schema helpers shared by the response models. Not public API.
 *
 * Conventions used by every model built on these helpers:
 * - optional wire fields that may be absent **or** `null` decode to an absent key (`T | undefined`), see
 *   {@link optionalNullable};
 * - timestamps decode to `Option<DateTime.Utc>` (absent, `null` and `0` are `Option.none()`), see
 *   {@link OptionDateTimeUtcFromUnixSeconds};
 * - enums are open: unknown strings decode as-is, see {@link openLiteral};
 * - unknown extra properties are ignored, whatever parse options the caller passes, see
 *   {@link ignoreExcessProperties}.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

/**
 * A finite JSON number that also accepts a numeric string (`"1000"`, `" 12.5 "`), defensively: some PG
 * integrations and older answers send numbers as strings. Always encodes to a JSON number.
 */
export const LenientNumber: Schema.Schema<number, number | string> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String),
  Schema.Number.pipe(Schema.finite()),
  {
    strict: true,
    // A number (the usual case) passes straight through; a numeric string is converted.
    decode: (input, _, ast) => {
      const n = typeof input === "number" ? input : input.trim() === "" ? Number.NaN : Number(input)
      return Number.isFinite(n)
        ? ParseResult.succeed(n)
        : ParseResult.fail(new ParseResult.Type(ast, input, `Expected a finite number, got ${JSON.stringify(input)}`))
    },
    encode: ParseResult.succeed
  }
).annotations({ identifier: "LenientNumber" })

/** Like {@link LenientNumber}, but the value must be an integer. */
export const LenientInt: Schema.Schema<number, number | string> = LenientNumber.pipe(
  Schema.int({ identifier: "LenientInt" })
)

/**
 * A money amount: a JSON number, decimals allowed (USD etc.), a numeric string accepted defensively.
 * Encodes to a JSON number.
 */
export const Amount: Schema.Schema<number, number | string> = LenientNumber.annotations({
  identifier: "Amount",
  description: "a money amount (JSON number; decimals allowed for currencies such as USD)"
})

/**
 * UNIX seconds on the wire decoded to `Option<DateTime.Utc>`.
 *
 * i'mport uses `0` for "has not happened (yet)" (e.g. `paid_at` of an unpaid payment), and many fields come
 * back as `null`; both decode to `Option.none()`, so a `0` can never be mistaken for 1970-01-01. Numeric
 * strings are accepted. `Option.none()` encodes back to `0`, `Option.some(t)` to whole seconds (rounded down).
 */
export const OptionDateTimeUtcFromUnixSeconds: Schema.Schema<
  Option.Option<DateTime.Utc>,
  number | string | null
> = Schema.transformOrFail(Schema.NullOr(LenientNumber), Schema.OptionFromSelf(Schema.DateTimeUtcFromSelf), {
  strict: true,
  decode: (seconds, _, ast) => {
    if (seconds === null || seconds === 0) {
      return ParseResult.succeed(Option.none())
    }
    return Option.match(DateTime.make(seconds * 1000), {
      onNone: () =>
        ParseResult.fail(new ParseResult.Type(ast, seconds, `Expected UNIX seconds, got ${String(seconds)}`)),
      onSome: (utc) => ParseResult.succeed(Option.some(utc))
    })
  },
  encode: (option) =>
    ParseResult.succeed(
      Option.match(option, {
        onNone: () => 0,
        onSome: (utc) => Math.floor(DateTime.toEpochMillis(utc) / 1000)
      })
    )
}).annotations({
  identifier: "OptionDateTimeUtcFromUnixSeconds",
  description: "UNIX seconds; 0 or null means 'not (yet)' and decodes to Option.none()"
})

/**
 * Struct field for a UNIX-seconds timestamp that may be absent, `null` or `0`: all three decode to
 * `Option.none()`, so the decoded field is always present and typed `Option<DateTime.Utc>`.
 */
export const unixTimestampField = () =>
  Schema.optionalWith(OptionDateTimeUtcFromUnixSeconds, { default: () => Option.none() })

/**
 * Struct field that may be absent or `null` on the wire: both decode to an absent key, so the decoded
 * field is typed `field?: T | undefined`. Absent keys stay absent when encoding.
 */
export const optionalNullable = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true })

/**
 * Struct field for an array that may be absent or `null` on the wire: both decode to `[]`.
 */
export const arrayOrEmpty = <S extends Schema.Schema.Any>(item: S) =>
  Schema.optionalWith(Schema.Array(item), { nullable: true, default: () => [] })

/**
 * A string enum that stays open: the known values are listed (for autocompletion, docs and arbitraries), and
 * any other string still decodes, typed `"a" | "b" | (string & {})`. The API promises to add enum values
 * without notice; an unknown value must not fail a whole response.
 *
 * @example
 * const Status = openLiteral("ready", "paid")
 * // typeof Status.Type: "ready" | "paid" | (string & {})
 */
export const openLiteral = <const Literals extends readonly [string, ...Array<string>]>(
  ...literals: Literals
): Schema.SchemaClass<Literals[number] | (string & {}), string> =>
  Schema.make<Literals[number] | (string & {}), string, never>(
    Schema.Union(Schema.Literal(...literals), Schema.String).annotations({
      description: `one of ${literals.map((l) => JSON.stringify(l)).join(", ")}, or a value unknown to this client`
    }).ast
  )

/**
 * A page number where the API uses `0` for "no such page" (`previous`/`next` of paged lists), decoded to
 * `Option<number>`. `Option.none()` encodes back to `0`.
 */
export const OptionPageNumber: Schema.Schema<Option.Option<number>, number | string> = Schema.transform(
  LenientInt,
  Schema.OptionFromSelf(Schema.Int),
  {
    strict: true,
    decode: (page) => (page > 0 ? Option.some(page) : Option.none()),
    encode: (option) => Option.getOrElse(option, () => 0)
  }
).annotations({ identifier: "OptionPageNumber", description: "a page number; 0 means 'no such page'" })

/**
 * Annotation pinning `onExcessProperty: "ignore"` on a response struct, so unknown fields the API adds later
 * are accepted even if a caller decodes with `{ onExcessProperty: "error" }`. Use as the third ("encoded
 * side") element of a `Schema.Class` annotations tuple, or via `.annotations(...)` on a `Schema.Struct`.
 */
export const ignoreExcessProperties: { readonly parseOptions: AST.ParseOptions } = {
  parseOptions: { onExcessProperty: "ignore" }
}

/**
 * A UNIX-seconds request field: pass seconds, a `Date` or a `DateTime`; sent as whole seconds.
 */
export const UnixSeconds: Schema.Schema<number | Date | DateTime.DateTime, number> = Schema.transform(
  Schema.Int,
  Schema.Union(Schema.Int, Schema.DateFromSelf, Schema.DateTimeUtcFromSelf, Schema.DateTimeZonedFromSelf),
  {
    strict: true,
    decode: (seconds) => seconds,
    encode: (time) =>
      typeof time === "number"
        ? time
        : Math.floor((time instanceof Date ? time.getTime() : DateTime.toEpochMillis(time)) / 1000)
  }
).annotations({ identifier: "UnixSeconds", description: "UNIX seconds, a Date or a DateTime" })
