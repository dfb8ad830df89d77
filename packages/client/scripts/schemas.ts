/**
 * Pass 2 of the generator: the `Schema` expression of every definition, property and answer of the spec, as
 * code text. Answer (output) schemas are lenient (absent or `null` optional fields, UNIX seconds as
 * `Option<DateTime.Utc>`, open enums); request (input) schemas are plain structs whose UNIX-second fields
 * accept a number, a `Date` or a `DateTime`. Literal sets are left as placeholders (see `literals.ts`).
 */
import type { Literals } from "./literals.js"
import { type Prop, refName, type Spec } from "./spec.js"
import { clean, docLine, pascal, propertyKey } from "./text.js"

/** Definitions implemented by the hand-written `Payment` module, and the class that implements each. */
export const EXISTING: Readonly<Record<string, string>> = {
  PaymentAnnotation: "Payment",
  PagedPaymentAnnotation: "PaymentPage",
  PaymentCancelAnnotation: "PaymentCancel",
  VbankDepositAnnotation: "VbankDeposit",
  PaymentPrepareAnnotation: "PaymentPrepare",
  PaymentBalanceAnnotation: "PaymentBalanceAmounts",
  PaymentBalanceHistoriesAnnotation: "PaymentBalanceHistory",
  PaymentBalanceResponseAnnotation: "PaymentBalance"
}

/** The class name of a definition. */
export const className = (name: string): string => EXISTING[name] ?? name.replace(/Annotation$/, "")

/** The name of the request-side struct of a definition. */
export const inputName = (name: string): string => `${name.replace(/Annotation$/, "")}Input`

/** One field of a struct as emitted: its name and its line (doc comment, name, schema). */
export interface FieldLine {
  readonly key: string
  readonly line: string
}

/** The response schema of an operation, and the inline model it needs (declared in `models.ts`), if any. */
export interface Response {
  readonly schema: string
  readonly inline?: string
}

/** Request integers that are UNIX seconds although their description does not say so. */
const INPUT_TIMES = new Set([
  "from",
  "to",
  "schedule_from",
  "schedule_to",
  "vbank_due",
  "schedule_at",
  "estimated_delivery_datetime",
  "estimated_update_datetime",
  "dispatched_at",
  "expired_at",
  "sent_at"
])

/**
 * Fields that carry a bank or card company standard code, by name: typed with the code tables (`BankCode.Open`,
 * `CardCode.Open`), which decode any string, so codes the API adds still decode.
 */
const CODE_FIELDS: Readonly<Record<string, string>> = {
  bank_code: "BankCode.Open",
  vbank_code: "BankCode.Open",
  refund_bank: "BankCode.Open",
  card_code: "CardCode.Open",
  card_issuer_code: "CardCode.Open",
  card_publisher_code: "CardCode.Open"
}

/** The code table of a plain string field, if its name says it carries a standard code. */
const codeField = (name: string, prop: Omit<Prop, "required">): string | undefined =>
  prop.type === "string" && !(prop.enum && prop.enum.length > 0) ? CODE_FIELDS[name] : undefined

const isTimestamp = (name: string, prop: Prop): boolean =>
  prop.type === "integer" && (/unix/i.test(prop.description ?? "") || /_at$/.test(name))

export const makeSchemas = (spec: Spec, literals: Literals) => {
  const defs = spec.definitions

  const outputType = (name: string, prop: Prop): string => {
    if (prop.$ref) return className(refName(prop.$ref))
    if (prop.schema) return outputType(name, prop.schema)
    const code = codeField(name, prop)
    if (code !== undefined) return code
    switch (prop.type) {
      case "string":
        return prop.enum && prop.enum.length > 0
          ? literals.placeholder(prop.enum, name, prop.description)
          : "Schema.String"
      case "integer":
        return "LenientInt"
      case "number":
        return "Amount"
      case "boolean":
        return "Schema.Boolean"
      case "array": {
        const items = prop.items
        if (items === undefined) return "Schema.Array(Schema.Unknown)"
        if (typeof items === "string") return "Schema.Array(Schema.String)"
        return `Schema.Array(${outputType(name, items)})`
      }
      default:
        return "Schema.Unknown"
    }
  }

  /** The struct field of an answer property. */
  const outputField = (name: string, prop: Prop, required: boolean): string => {
    if (isTimestamp(name, prop)) return "unixTimestampField()"
    if (name === "sandbox" && prop.type === "boolean") {
      return "Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false })"
    }
    const base = outputType(name, prop)
    if (prop.type === "array") {
      if (required) return base
      const inner = base.replace(/^Schema\.Array\(/, "").replace(/\)$/, "")
      return `arrayOrEmpty(${inner})`
    }
    return required ? base : `optionalNullable(${base})`
  }

  /** The fields of the class of a definition. */
  const modelFields = (name: string): Array<FieldLine> => {
    const { properties, required } = spec.shape(defs[name]!)
    return Object.entries(properties).map(([k, p]) => ({
      key: k,
      line: `${docLine(p.description)}${propertyKey(k)}: ${outputField(k, p, required.includes(k))}`
    }))
  }

  /** The class of a definition, given the lines of its fields (shared runs spread). */
  const modelClass = (name: string, lines: ReadonlyArray<string>): string => {
    const cls = className(name)
    return `/**
 * Spec definition \`${name}\`. ${clean(defs[name]!.description)}
 *
 * @since 0.2.0
 */
export class ${cls} extends Schema.Class<${cls}>(${JSON.stringify(cls)})(
  {
${lines.join(",\n")}
  },
  [{ description: ${JSON.stringify(name)} }, undefined, ignoreExcessProperties]
) {}
`
  }

  /** Request-side (encodable, plain-object) schema of a property (`field`: the name its literal set is declared under). */
  const inputType = (name: string, prop: Omit<Prop, "required">, field: string = name): string => {
    if (prop.$ref) return inputName(refName(prop.$ref))
    if (prop.schema?.$ref) return inputName(refName(prop.schema.$ref))
    if (isTimestamp(name, prop) || (prop.type === "integer" && INPUT_TIMES.has(name))) return "UnixSeconds"
    const code = codeField(name, prop)
    if (code !== undefined) return code
    switch (prop.type) {
      case "string":
        return prop.enum && prop.enum.length > 0
          ? literals.placeholder(prop.enum, field, prop.description)
          : "Schema.String"
      case "integer":
        return "Schema.Int"
      case "number":
        return "Schema.Number"
      case "boolean":
        return "Schema.Boolean"
      case "object":
        return "UnknownObject"
      case "array": {
        if (name === "notice_url") return "Schema.String"
        if (name === "extra") {
          return `Schema.Struct({ requester: Schema.optional(${literals.placeholder(["customer", "admin"], "requester", undefined)}) })`
        }
        const items = prop.items ?? prop.schema
        if (items === undefined || typeof items === "string") return "Schema.Array(Schema.String)"
        return `Schema.Array(${inputType("", items, name)})`
      }
      default:
        return "Schema.Unknown"
    }
  }

  /** The request-side struct of a definition. */
  const inputStruct = (name: string): string => {
    const { properties, required } = spec.shape(defs[name]!)
    const n = inputName(name)
    const fields = Object.entries(properties)
      .map(([k, p]) => {
        const t = inputType(k, p)
        return `${docLine(p.description)}${propertyKey(k)}: ${required.includes(k) ? t : `Schema.optional(${t})`}`
      })
      .join(",\n")
    return `/**
 * Request-side form of spec definition \`${name}\` (plain object, UNIX seconds as number, \`Date\` or \`DateTime\`).
 *
 * @since 0.2.0
 */
export const ${n} = Schema.Struct({
${fields}
})
/** @since 0.2.0 */
export type ${n} = typeof ${n}.Type
`
  }

  /** The schema (relative to `Models.`) of the `response` of an envelope. */
  const payloadOf = (envelope: string): string => {
    const response = spec.shape(defs[envelope]!).properties.response
    if (response === undefined) return "Schema.Unknown"
    if (response.$ref) return `Models.${className(refName(response.$ref))}`
    if (response.type === "array" && typeof response.items === "object" && response.items.$ref) {
      return `Schema.Array(Models.${className(refName(response.items.$ref))})`
    }
    return "Schema.Unknown"
  }

  /** The response schema of an operation (relative to `Models.`), see quirks 6-8 of `generate.ts`. */
  const responseOf = (method: string, path: string, operationId: string, schema: Prop | undefined): Response => {
    if (schema === undefined) return { schema: "Schema.Unknown" }
    if (schema.$ref) {
      const name = refName(schema.$ref)
      if (!spec.isEnvelope(name)) return { schema: `Models.${className(name)}` }
      const payload = payloadOf(name)
      if (method === "GET" && payload === "Schema.Array(Models.ScheduleResult)") {
        return { schema: "Models.SchedulePageOrArray" }
      }
      return { schema: payload }
    }
    const props = schema.properties ?? {}
    if (props.response) {
      const resultName = `${pascal(operationId)}Result`
      const fields = Object.entries(props.response.properties ?? {})
        .map(([k, p]) => `${docLine(p.description)}${propertyKey(k)}: ${outputField(k, p, false)}`)
        .join(",\n")
      const inline = `/**
 * Answer of \`${method} ${path}\` (an envelope declared inline in the spec).
 *
 * @since 0.2.0
 */
export const ${resultName} = Schema.Struct({
${fields}
}).annotations(ignoreExcessProperties)
/** @since 0.2.0 */
export type ${resultName} = typeof ${resultName}.Type
`
      return { schema: `Models.${resultName}`, inline }
    }
    const members = Object.values(props).map((p) => payloadOf(refName(p.$ref!)))
    if (members.length === 2 && members.includes("Models.Customer")) return { schema: "Models.BillingKey" }
    return { schema: `Schema.Union(${members.join(", ")})` }
  }

  return { modelFields, modelClass, inputType, inputStruct, payloadOf, responseOf }
}

/** The schema builders of one run of the generator. */
export type Schemas = ReturnType<typeof makeSchemas>
