/**
 * Generates the operation modules of `@effect-iamport/client` from the vendored V1 spec
 * (`packages/client/spec/v1.openapi.json`) and the metadata in `operations.ts`.
 *
 *   pnpm generate          writes the files
 *   pnpm generate:check    fails (exit 1) when a committed file differs from what would be generated
 *
 * Output:
 * - `src/internal/generated/models.ts`: a `Schema` for every definition of the spec (response classes,
 *   request-side `...Input` structs, and `definitionSchemas`, the map the conformance test walks);
 * - `src/internal/generated/enums.ts`: every literal set (open enum) that stands in more than one place, as one
 *   named constant (names and docs in `ENUMS` of `operations.ts`), re-exported by the modules that use it;
 * - `src/internal/generated/fields.ts`: the runs of fields that several requests or models declare word for
 *   word, as one object they spread (`FIELD_GROUPS` of `operations.ts`); a request that repeats all the fields
 *   of an earlier request of its module spreads that request's `fields` instead;
 * - `src/internal/generated/registry.ts`: every operation (method + path) and the module function that
 *   implements it;
 * - `src/<Module>.ts` for every area but `Payments` (hand-written): request schemas and one `operation(...)`
 *   declaration per operation, plus `stream...` for paged lists.
 *
 * Spec defects fixed here (API-FACTS §2.4):
 * 1. Body fields are declared `in: formData`: they are sent as JSON body fields.
 * 2. Malformed arrays: `product_order_id` has `items: "string"` -> string[]; `merchant_uid` of unschedule and
 *    `extra` of cancel have no `items` -> string[] / object; `notice_url` (benepia, cvs, vbanks) is typed an
 *    array but is a string -> string.
 * 3. Escrow `sender` / `receiver` / `logis` are declared `type: string` with a `schema` -> the schema wins.
 * 4. The optional `{payment_status}` path segment is handled by the hand-written `Payments`.
 * 5. `GET /naver/reviews` declares `channel_key` as a form field on a GET -> sent as a query parameter.
 * 6. Billing-key answers are an "either" object (`properties: {CustomerResponse, SuperBillingKeyResponse}`) ->
 *    `Schema.Union(Customer, SuperBillingKey)`.
 * 7. Operations without a 200 schema (KCP Quick prepare) -> `Schema.Unknown`; inline envelopes (KCP Quick
 *    autopay delete, FIDO release) -> a struct of their `response`; envelope-only answers (`ResponseAnnotation`,
 *    NaverPay point/confirm) -> `Schema.Unknown`.
 * 8. Schedule lists (`GET /subscribe/payments/schedule`, `.../schedule/customers/{customer_uid}`,
 *    `/subscribe/customers/{customer_uid}/schedules`) are typed arrays but answered as pages
 *    `{total, previous, next, list}` -> `SchedulePageOrArray` accepts both.
 * 9. `required` lists: `VbankDepositAnnotation.required` names an undefined `reason` and
 *    `PaymentPrepareAnnotation.required` names paging fields -> those definitions map to the hand-written
 *    `Payment` module; a required `sandbox` (added in 2026, absent from older answers) defaults to `false`.
 *    `BenepiaPointAnnotation.required` names an undefined `bank_holder`: required names that are not properties
 *    are ignored.
 * 10. Response fields may be absent or `null` unless required; UNIX-second fields (described as UNIX
 *    timestamps, or named `*_at`) decode to `Option<DateTime.Utc>` with `0` = none; enums are open.
 * 11. Query parameter names that are not identifiers: `customer_uid[]` -> field `customer_uid` (a list),
 *    `extra[requester]` -> field `extra: { requester }`, `schedule-status` -> field `schedule_status`.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Prettier from "prettier"
import { ENUMS, FIELD_GROUPS, MODULES, type OperationMeta, OPERATIONS } from "./operations.js"

const here = Path.dirname(fileURLToPath(import.meta.url))
const pkg = Path.resolve(here, "..")
const specPath = Path.join(pkg, "spec", "v1.openapi.json")
const check = process.argv.includes("--check")

// ---------------------------------------------------------------------------------------------------------
// Spec access
// ---------------------------------------------------------------------------------------------------------

interface Prop {
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<string>
  readonly $ref?: string
  readonly items?: Prop | string
  readonly schema?: Prop
  readonly properties?: Record<string, Prop>
  readonly required?: ReadonlyArray<string>
  readonly description?: string
  readonly allOf?: ReadonlyArray<Prop>
}
interface Param extends Omit<Prop, "required"> {
  readonly name: string
  readonly in: "path" | "query" | "formData" | "body"
  readonly required?: boolean
}
interface Op {
  readonly operationId: string
  readonly parameters?: ReadonlyArray<Param>
  readonly responses: Record<string, { readonly schema?: Prop }>
}

const spec = JSON.parse(Fs.readFileSync(specPath, "utf8")) as {
  readonly paths: Record<string, Record<string, Op>>
  readonly definitions: Record<string, Prop>
}
const defs = spec.definitions

const refName = (ref: string) => ref.replace("#/definitions/", "")

/** Properties and required list of a definition, `allOf` merged. */
const shape = (def: Prop): { properties: Record<string, Prop>; required: ReadonlyArray<string> } => {
  if (def.allOf) {
    const parts = def.allOf.map((p) => (p.$ref ? shape(defs[refName(p.$ref)]!) : shape(p)))
    return {
      properties: Object.assign({}, ...parts.map((p) => p.properties)),
      required: parts.flatMap((p) => p.required)
    }
  }
  return { properties: def.properties ?? {}, required: def.required ?? [] }
}

const isEnvelope = (name: string): boolean => {
  const props = shape(defs[name]!).properties
  return "code" in props && "message" in props
}

/** Definitions implemented by the hand-written `Payment` module. */
const EXISTING: Readonly<Record<string, string>> = {
  PaymentAnnotation: "Payment",
  PagedPaymentAnnotation: "PaymentPage",
  PaymentCancelAnnotation: "PaymentCancel",
  VbankDepositAnnotation: "VbankDeposit",
  PaymentPrepareAnnotation: "PaymentPrepare",
  PaymentBalanceAnnotation: "PaymentBalanceAmounts",
  PaymentBalanceHistoriesAnnotation: "PaymentBalanceHistory",
  PaymentBalanceResponseAnnotation: "PaymentBalance"
}

const className = (name: string): string => EXISTING[name] ?? name.replace(/Annotation$/, "")
const inputName = (name: string): string => `${name.replace(/Annotation$/, "")}Input`

const clean = (text: string | undefined): string =>
  (text ?? "")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/li>\s*<li>/gi, "; ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\*\//g, "* /")
    .replace(/\s+/g, " ")
    .trim()

const docLine = (text: string | undefined): string => {
  const c = clean(text)
  return c === "" ? "" : `/** ${c.length > 300 ? c.slice(0, 297) + "..." : c} */\n`
}

const isTimestamp = (name: string, prop: Prop): boolean =>
  prop.type === "integer" && (/unix/i.test(prop.description ?? "") || /_at$/.test(name))

const literalArgs = (values: ReadonlyArray<string>) => values.map((v) => JSON.stringify(v)).join(", ")

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

// ---------------------------------------------------------------------------------------------------------
// Literal sets (open enums)
// ---------------------------------------------------------------------------------------------------------

/** A literal set of the spec, with the fields (and their descriptions) that declare it. */
interface LiteralSet {
  readonly values: ReadonlyArray<string>
  readonly fields: Array<{ readonly key: string; readonly description: string | undefined }>
}

/**
 * Every literal set the generated code declares. A schema expression names a set by a placeholder; once every
 * file is generated, a set that stands in more than one place becomes one constant of `enums.ts` (named in
 * `ENUMS`, see `resolveLiterals`), any other an inline `openLiteral(...)`.
 */
const literalSets: Array<LiteralSet> = []
const literalPlaceholder = /@literal(\d+)@/g

const literal = (values: ReadonlyArray<string>, key: string, description: string | undefined): string => {
  let index = literalSets.findIndex((set) => literalArgs(set.values) === literalArgs(values))
  if (index === -1) index = literalSets.push({ values, fields: [] }) - 1
  literalSets[index]!.fields.push({ key, description })
  return `@literal${index}@`
}

// ---------------------------------------------------------------------------------------------------------
// models.ts
// ---------------------------------------------------------------------------------------------------------

const refsOf = (p: Prop | string | undefined, out: Set<string>): Set<string> => {
  if (p === undefined || typeof p === "string") return out
  if (p.$ref) out.add(refName(p.$ref))
  refsOf(p.items, out)
  refsOf(p.schema, out)
  for (const v of Object.values(p.properties ?? {})) refsOf(v, out)
  for (const v of p.allOf ?? []) refsOf(v, out)
  return out
}

/** Topological order of the given definitions (dependencies first). */
const ordered = (names: Iterable<string>): Array<string> => {
  const out: Array<string> = []
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    for (const dep of refsOf(defs[name], new Set())) visit(dep)
    out.push(name)
  }
  for (const n of names) visit(n)
  return out
}

const outputType = (name: string, prop: Prop): string => {
  if (prop.$ref) return modelRef(refName(prop.$ref))
  if (prop.schema) return outputType(name, prop.schema)
  switch (prop.type) {
    case "string":
      return prop.enum && prop.enum.length > 0 ? literal(prop.enum, name, prop.description) : "Schema.String"
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

const modelRef = (name: string) => (EXISTING[name] ? EXISTING[name]! : className(name))

const outputField = (def: string, name: string, prop: Prop, required: boolean): string => {
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
  void def
  return required ? base : `optionalNullable(${base})`
}

const propertyKey = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name))

/** The fields of the class of a definition. */
const modelFields = (name: string): Array<FieldLine> => {
  const { properties, required } = shape(defs[name]!)
  return Object.entries(properties).map(([k, p]) => ({
    key: k,
    line: `${docLine(p.description)}${propertyKey(k)}: ${outputField(name, k, p, required.includes(k))}`
  }))
}

/** The class of a definition, given the lines of its fields (see `structLines`). */
const modelClass = (name: string, lines: ReadonlyArray<string>): string => {
  const cls = className(name)
  const fields = lines.join(",\n")
  return `/**
 * Spec definition \`${name}\`. ${clean(defs[name]!.description)}
 *
 * @since 0.2.0
 */
export class ${cls} extends Schema.Class<${cls}>(${JSON.stringify(cls)})(
  {
${fields}
  },
  [{ description: ${JSON.stringify(name)} }, undefined, ignoreExcessProperties]
) {}
`
}

/** Request-side (encodable, plain-object) schema of a property (`field`: the name its literal set is declared under). */
const inputType = (name: string, prop: Prop, field: string = name): string => {
  if (prop.$ref) return inputName(refName(prop.$ref))
  if (prop.schema?.$ref) return inputName(refName(prop.schema.$ref))
  if (isTimestamp(name, prop) || (prop.type === "integer" && INPUT_TIMES.has(name))) return "UnixSeconds"
  switch (prop.type) {
    case "string":
      return prop.enum && prop.enum.length > 0 ? literal(prop.enum, field, prop.description) : "Schema.String"
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
        return `Schema.Struct({ requester: Schema.optional(${literal(["customer", "admin"], "requester", undefined)}) })`
      }
      const items = prop.items ?? prop.schema
      if (items === undefined || typeof items === "string") return "Schema.Array(Schema.String)"
      return `Schema.Array(${inputType("", items, name)})`
    }
    default:
      return "Schema.Unknown"
  }
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

const inputStruct = (name: string): string => {
  const { properties, required } = shape(defs[name]!)
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

// ---------------------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------------------

interface Field {
  readonly key: string
  readonly wire: string
  readonly location: "path" | "query" | "body"
  readonly schema: string
  readonly required: boolean
  readonly description: string | undefined
}

interface OpInfo {
  readonly method: string
  readonly path: string
  readonly op: Op
  readonly meta: OperationMeta
}

const allOps: Array<OpInfo> = []
for (const [path, methods] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    const key = `${method.toUpperCase()} ${path}`
    const meta = OPERATIONS[key]
    if (meta === undefined) throw new Error(`no metadata for ${key} (add it to scripts/operations.ts)`)
    allOps.push({ method: method.toUpperCase(), path, op, meta })
  }
}
for (const key of Object.keys(OPERATIONS)) {
  if (!allOps.some((o) => `${o.method} ${o.path}` === key)) throw new Error(`metadata for unknown operation ${key}`)
}

const fieldsOf = (info: OpInfo): Array<Field> => {
  const fields: Array<Field> = []
  const groups = new Map<string, Array<string>>()
  for (const p of info.op.parameters ?? []) {
    let location: Field["location"] = p.in === "path" ? "path" : p.in === "query" ? "query" : "body"
    if (info.method === "GET" && location === "body") location = "query" // quirk 5
    const grouped = /^(\w+)\[(\w+)\]$/.exec(p.name)
    if (grouped) {
      const list = groups.get(grouped[1]!) ?? []
      list.push(grouped[2]!)
      groups.set(grouped[1]!, list)
      continue
    }
    const key = p.name.replace(/\[\]$/, "").replace(/-/g, "_")
    const base = inputType(key, p as Prop)
    const schema = p.name.endsWith("[]") && !base.startsWith("Schema.Array") ? `Schema.Array(${base})` : base
    fields.push({
      key,
      wire: p.name,
      location,
      schema,
      required: p.required === true,
      description: p.description
    })
  }
  for (const [key, members] of groups) {
    fields.push({
      key,
      wire: key,
      location: "query",
      schema: `Schema.Struct({ ${members.map((m) => `${m}: Schema.optional(Schema.String)`).join(", ")} })`,
      required: false,
      description: `Sent as ${members.map((m) => `\`${key}[${m}]\``).join(", ")}.`
    })
  }
  const keys = new Set<string>()
  for (const f of fields) {
    if (keys.has(f.key)) throw new Error(`${info.method} ${info.path}: duplicate field ${f.key}`)
    keys.add(f.key)
  }
  return fields
}

/** Extra (inline) response schemas, emitted in models.ts. */
const inlineModels: Array<string> = []

/** The response schema expression of an operation (relative to `Models.`), see quirks 6-8. */
const responseOf = (info: OpInfo): string => {
  const schema = info.op.responses["200"]?.schema
  if (schema === undefined) return "Schema.Unknown"
  if (schema.$ref) {
    const name = refName(schema.$ref)
    if (!isEnvelope(name)) return `Models.${modelRef(name)}`
    const payload = payloadOf(name)
    if (info.method === "GET" && payload === "Schema.Array(Models.ScheduleResult)") return "Models.SchedulePageOrArray"
    return payload
  }
  const props = schema.properties ?? {}
  if (props.response) {
    const resultName = `${pascal(info.op.operationId)}Result`
    const r = props.response
    const fields = Object.entries(r.properties ?? {})
      .map(([k, p]) => `${docLine(p.description)}${propertyKey(k)}: ${outputField(resultName, k, p, false)}`)
      .join(",\n")
    inlineModels.push(`/**
 * Answer of \`${info.method} ${info.path}\` (an envelope declared inline in the spec).
 *
 * @since 0.2.0
 */
export const ${resultName} = Schema.Struct({
${fields}
}).annotations(ignoreExcessProperties)
/** @since 0.2.0 */
export type ${resultName} = typeof ${resultName}.Type
`)
    return `Models.${resultName}`
  }
  const members = Object.values(props).map((p) => payloadOf(refName(p.$ref!)))
  if (members.length === 2 && members.includes("Models.Customer")) return "Models.BillingKey"
  return `Schema.Union(${members.join(", ")})`
}

const payloadOf = (envelope: string): string => {
  const response = shape(defs[envelope]!).properties.response
  if (response === undefined) return "Schema.Unknown"
  if (response.$ref) return `Models.${modelRef(refName(response.$ref))}`
  if (response.type === "array" && typeof response.items === "object" && response.items.$ref) {
    return `Schema.Array(Models.${modelRef(refName(response.items.$ref))})`
  }
  return "Schema.Unknown"
}

// ---------------------------------------------------------------------------------------------------------
// Emit
// ---------------------------------------------------------------------------------------------------------

const HEADER =
  "// Generated by packages/client/scripts/generate.ts from packages/client/spec/v1.openapi.json; do not edit.\n"

const inputDefs = new Set<string>()
for (const info of allOps) {
  if (info.meta.handWritten) continue
  for (const p of info.op.parameters ?? []) for (const r of refsOf(p as Prop, new Set())) inputDefs.add(r)
}
for (const name of ordered(inputDefs)) inputDefs.add(name)

const opResponses = new Map<OpInfo, string>()
for (const info of allOps) if (!info.meta.handWritten) opResponses.set(info, responseOf(info))

const modelNames = ordered(Object.keys(defs).filter((n) => !isEnvelope(n) && !EXISTING[n]))

const definitionEntries = Object.keys(defs).map((name) => {
  if (isEnvelope(name)) {
    const payload = payloadOf(name).replace(/Models\./g, "")
    return `  ${name}: { envelope: true, schema: ${payload} }`
  }
  return `  ${name}: { envelope: false, schema: ${modelRef(name)} }`
})

// ---------------------------------------------------------------------------------------------------------
// Request fields, shared groups
// ---------------------------------------------------------------------------------------------------------

/** One request field as emitted: its wire name and its line (doc comment, name, schema). */
interface FieldLine {
  readonly key: string
  readonly line: string
}

/** Request-side names that live in `models.ts`. */
const modelsInputName = /\b([A-Z]\w*Input|UnknownObject)\b/g

const generatedOps = allOps.filter((info) => !info.meta.handWritten)
const requestName = (info: OpInfo) => `${pascal(info.meta.name)}Request`

/** A struct the generator emits field by field: the request of an operation or the class of a definition. */
interface Target {
  readonly label: string
  readonly fields: ReadonlyArray<FieldLine>
}

const requestTargets = new Map<OpInfo, Target>()
for (const info of generatedOps) {
  requestTargets.set(info, {
    label: `${info.meta.module}.${info.meta.name}`,
    fields: fieldsOf(info).map((f) => {
      let schema = f.schema.replace(modelsInputName, "Models.$1")
      if (!f.required) schema = `Schema.optional(${schema})`
      const wireNote = f.wire !== f.key && !f.wire.startsWith(`${f.key}[`) ? ` Sent as \`${f.wire}\`.` : ""
      const where = f.location === "body" ? "" : ` (${f.location}${f.wire.endsWith("[]") ? `, as \`${f.wire}\`` : ""})`
      return {
        key: f.key,
        line: `${docLine(`${clean(f.description)}${where}${wireNote}`)}${propertyKey(f.key)}: ${schema}`
      }
    })
  })
}
const modelTargets = new Map<string, Target>(
  modelNames.map((name) => [name, { label: className(name), fields: modelFields(name) }])
)
const targets: ReadonlyArray<Target> = [...requestTargets.values(), ...modelTargets.values()]

/** Where `run` stands in `list` (consecutive and in order), or -1. */
const indexOfRun = (list: ReadonlyArray<string>, run: ReadonlyArray<string>): number => {
  for (let i = 0; i + run.length <= list.length; i++) {
    if (run.every((x, j) => list[i + j] === x)) return i
  }
  return -1
}

/** A run of a struct's fields emitted as one spread (`...expr`). */
interface Spread {
  readonly at: number
  readonly length: number
  readonly expr: string
}
const spreads = new Map<Target, Array<Spread>>()
const addSpread = (target: Target, spread: Spread) => spreads.set(target, [...(spreads.get(target) ?? []), spread])
const isFree = (target: Target, at: number, length: number) =>
  (spreads.get(target) ?? []).every((s) => at + length <= s.at || s.at + s.length <= at)

const modules = new Map<string, Array<OpInfo>>()
for (const info of generatedOps) {
  const list = modules.get(info.meta.module) ?? []
  list.push(info)
  modules.set(info.meta.module, list)
}

// A request whose fields include, word for word, all the fields (3 or more) of an earlier request of the same
// module spreads that request's `fields`.
for (const infos of modules.values()) {
  infos.forEach((info, j) => {
    const target = requestTargets.get(info)!
    const lines = target.fields.map((f) => f.line)
    let best: { from: OpInfo; at: number; length: number } | undefined
    for (const earlier of infos.slice(0, j)) {
      const run = requestTargets.get(earlier)!.fields.map((f) => f.line)
      if (run.length < 3 || run.length <= (best?.length ?? 0)) continue
      const at = indexOfRun(lines, run)
      if (at !== -1) best = { from: earlier, at, length: run.length }
    }
    if (best) addSpread(target, { at: best.at, length: best.length, expr: `${requestName(best.from)}.fields` })
  })
}

/** The field groups of `FIELD_GROUPS`: their fields and the structs that spread them. */
const fieldGroups = FIELD_GROUPS.map((group) => {
  const versions = new Map<string, Array<{ target: Target; at: number }>>()
  for (const target of targets) {
    const at = indexOfRun(
      target.fields.map((f) => f.key),
      group.fields
    )
    if (at === -1 || !isFree(target, at, group.fields.length)) continue
    const text = target.fields
      .slice(at, at + group.fields.length)
      .map((f) => f.line)
      .join(",\n")
    versions.set(text, [...(versions.get(text) ?? []), { target, at }])
  }
  const [first, second] = Array.from(versions).sort((a, b) => b[1].length - a[1].length)
  if (first === undefined || first[1].length < 2) {
    throw new Error(`field group ${group.name} is shared by fewer than two structs (fix FIELD_GROUPS)`)
  }
  if (second !== undefined && second[1].length === first[1].length) {
    throw new Error(`field group ${group.name}: two versions are shared by as many structs (fix FIELD_GROUPS)`)
  }
  const [text, users] = first
  const named = modelNames.map(className).find((cls) => new RegExp(`\\b${cls}\\b`).test(text))
  if (named !== undefined) throw new Error(`field group ${group.name} names the model ${named}: fields.ts cannot`)
  for (const { target, at } of users)
    addSpread(target, { at, length: group.fields.length, expr: `Fields.${group.name}` })
  return { ...group, text, users: users.map((u) => u.target.label) }
})

/** The lines of a struct: its fields, with shared runs spread. */
const structLines = (target: Target): Array<string> => {
  const own = spreads.get(target) ?? []
  const out: Array<string> = []
  for (let i = 0; i < target.fields.length;) {
    const spread = own.find((s) => s.at === i)
    if (spread) {
      out.push(`...${spread.expr}`)
      i += spread.length
    } else out.push(target.fields[i++]!.line)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------

const modelClasses = modelNames.map((name) => modelClass(name, structLines(modelTargets.get(name)!))).join("\n")
const inputStructs = ordered(inputDefs).map(inputStruct).join("\n")

const usesUnknownObject =
  targets.some((t) => t.fields.some((f) => /\bUnknownObject\b/.test(f.line))) || /\bUnknownObject\b/.test(inputStructs)

const modelsBody = `${modelClasses}

/**
 * A billing key as \`GET\`/\`POST\`/\`DELETE /subscribe/customers/{customer_uid}\` answer it: an ordinary key
 * (\`Customer\`) or a super billing key issued over a smart-routing channel group (\`SuperBillingKey\`). The
 * spec encodes this "either" as an object with both envelopes as properties.
 *
 * @since 0.2.0
 */
export const BillingKey = Schema.Union(Customer, SuperBillingKey)
/** @since 0.2.0 */
export type BillingKey = typeof BillingKey.Type

/**
 * One page of scheduled payments (\`{total, previous, next, list}\`), as the schedule list endpoints answer.
 * \`previous\` / \`next\` are \`Option.none()\` where the API sends \`0\`.
 *
 * @since 0.2.0
 */
export class SchedulePage extends Schema.Class<SchedulePage>("SchedulePage")(
  {
    total: Schema.optionalWith(LenientInt, { nullable: true, default: () => 0 }),
    previous: Schema.optionalWith(OptionPageNumber, { nullable: true, default: () => Option.none() }),
    next: Schema.optionalWith(OptionPageNumber, { nullable: true, default: () => Option.none() }),
    list: arrayOrEmpty(ScheduleResult)
  },
  [{ description: "one page of scheduled payments" }, undefined, ignoreExcessProperties]
) {}

/**
 * A \`SchedulePage\`, also decoded from a plain array of schedules (what the spec declares).
 *
 * @since 0.2.0
 */
export const SchedulePageOrArray = Schema.Union(
  SchedulePage,
  Schema.transform(Schema.Array(ScheduleResult), Schema.typeSchema(SchedulePage), {
    strict: true,
    decode: (list) => new SchedulePage({ total: list.length, previous: Option.none(), next: Option.none(), list }),
    encode: (page) => page.list
  })
)
${
  usesUnknownObject
    ? `
/**
 * Request-side form of a spec field typed \`object\` without properties: any JSON object.
 *
 * @since 0.2.0
 */
export const UnknownObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })
`
    : ""
}
${inputStructs}

${inlineModels.join("\n")}

/**
 * Every definition of the spec and the schema that decodes it; for an envelope (\`{code, message,
 * response}\`), the schema of its \`response\`.
 *
 * @internal
 */
export const definitionSchemas: Readonly<
  Record<string, { readonly envelope: boolean; readonly schema: Schema.Schema<any, any, never> }>
> = {
${definitionEntries.join(",\n")}
}
`

const fieldsBody = fieldGroups
  .map(
    (group) => `/**
 * ${group.doc} Spread into ${group.users.map((u) => `\`${u}\``).join(", ")}.
 *
 * @internal
 */
export const ${group.name} = {
${group.text}
}
`
  )
  .join("\n")

/** The body of a generated area module (everything after its imports). */
const moduleBody = (infos: ReadonlyArray<OpInfo>): string => {
  const body: Array<string> = []
  for (const info of infos) {
    const { meta, op } = info
    const fields = fieldsOf(info)
    const name = requestName(info)
    body.push(`/**
 * Request of \`${meta.name}\` (\`${info.method} ${info.path}\`). Field names are the wire names.
 *
 * @since 0.2.0
 */
export const ${name} = Schema.Struct({
${structLines(requestTargets.get(info)!).join(",\n")}
})
/** @since 0.2.0 */
export type ${name} = typeof ${name}.Type
`)
    const response = opResponses.get(info)!
    const pathParams = fields.filter((f) => f.location === "path").map((f) => JSON.stringify(f.key))
    const query = fields
      .filter((f) => f.location === "query")
      .map((f) => `${propertyKey(f.key)}: ${JSON.stringify(f.wire)}`)
    const bodyFields = fields.filter((f) => f.location === "body").map((f) => JSON.stringify(f.key))
    const declaration = `operation({
  method: "${info.method}",
  path: ${JSON.stringify(info.path)},
  operationId: ${JSON.stringify(op.operationId)},
  request: ${name},
  response: ${response}${pathParams.length ? `,\n  pathParams: [${pathParams.join(", ")}]` : ""}${query.length ? `,\n  query: { ${query.join(", ")} }` : ""}${bodyFields.length ? `,\n  body: [${bodyFields.join(", ")}]` : ""}
})`
    let value = declaration
    if (meta.multiStatus) {
      const [req, item] = meta.multiStatus
      value = `multiStatus(${declaration}, ${JSON.stringify(req)}, ${JSON.stringify(item)}${meta.notFoundIsEmpty ? ", { notFoundIsEmpty: true }" : ""})`
    }
    const write = info.method !== "GET"
    body.push(`/**
 * ${meta.doc}${write && !meta.doc.includes("retried") ? " Not retried on transient failures (a write)." : ""}
 *
 * \`${info.method} ${info.path}\` (\`${op.operationId}\`).
 *
 * @since 0.2.0
 */
export const ${meta.name} = ${value}
`)
    if (meta.stream) {
      body.push(`/**
 * Every item of \`${meta.name}\`, walking all pages from \`page\` (default 1).
 *
 * @since 0.2.0
 */
export const ${meta.stream} = paginate(${meta.name})
`)
    }
  }
  return body.join("\n")
}

const moduleBodies = new Map(Array.from(modules, ([module, infos]) => [module, moduleBody(infos)]))

// ---------------------------------------------------------------------------------------------------------
// Literal sets that stand in more than one place -> enums.ts
// ---------------------------------------------------------------------------------------------------------

const literalCounts = new Map<number, number>()
for (const text of [modelsBody, fieldsBody, ...moduleBodies.values()]) {
  for (const m of text.matchAll(literalPlaceholder)) literalCounts.set(+m[1]!, (literalCounts.get(+m[1]!) ?? 0) + 1)
}

/** The hoisted literal sets by index: the name and doc of their `ENUMS` entry, and the field it is keyed by. */
const hoisted = new Map<number, { readonly name: string; readonly doc: string; readonly key: string }>()
for (const [index, count] of literalCounts) {
  if (count < 2) continue
  const set = literalSets[index]!
  const keys = Array.from(new Set(set.fields.map((f) => f.key).filter((k) => ENUMS[k] !== undefined)))
  if (keys.length !== 1) {
    throw new Error(
      `the literal set ${literalArgs(set.values)} stands in ${count} places (fields ${Array.from(new Set(set.fields.map((f) => f.key))).join(", ")}): ${keys.length === 0 ? "name it" : "name it once"} in ENUMS (scripts/operations.ts)`
    )
  }
  hoisted.set(index, { ...ENUMS[keys[0]!]!, key: keys[0]! })
}
for (const [key, meta] of Object.entries(ENUMS)) {
  const uses = Array.from(hoisted.values()).filter((h) => h.name === meta.name)
  if (uses.length !== 1) throw new Error(`ENUMS.${key} (${meta.name}) names ${uses.length} repeated literal sets`)
}

/** Replaces the literal placeholders: `Enums.<Name>` for a hoisted set, an inline `openLiteral(...)` otherwise. */
const resolveLiterals = (text: string): string =>
  text.replace(literalPlaceholder, (_, i: string) => {
    const h = hoisted.get(+i)
    return h ? `Enums.${h.name}` : `openLiteral(${literalArgs(literalSets[+i]!.values)})`
  })

/** The hoisted literal sets that a text names. */
const enumsIn = (text: string): Array<string> =>
  Array.from(new Set(Array.from(text.matchAll(literalPlaceholder), (m) => hoisted.get(+m[1]!)?.name))).filter(
    (n): n is string => n !== undefined
  )

const enumsTs = `${HEADER}/**
 * The literal sets (open enums) that more than one generated schema declares, each hoisted into one named
 * constant (see \`ENUMS\` in \`scripts/operations.ts\`). Every module whose requests use one re-exports it.
 *
 * @internal
 */
import { openLiteral } from "../schema.js"

${Array.from(hoisted)
  .sort((a, b) => a[1].name.localeCompare(b[1].name))
  .map(([index, h]) => {
    const set = literalSets[index]!
    const spec = clean(set.fields.find((f) => f.key === h.key && clean(f.description) !== "")?.description)
    return `/**
 * ${h.doc}
 *${spec === "" ? "" : `\n * Spec (\`${h.key}\`): ${spec}\n *`}
 * Open: a value unknown to this client is accepted too.
 *
 * @since 0.2.0
 */
export const ${h.name} = openLiteral(${literalArgs(set.values)})
/** @since 0.2.0 */
export type ${h.name} = typeof ${h.name}.Type
`
  })
  .join("\n")}`

// ---------------------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------------------

const usedExisting = Array.from(new Set(Object.values(EXISTING))).sort()

const modelsResolved = resolveLiterals(modelsBody)
const modelsTs = `${HEADER}/**
 * \`Schema\`s of every definition of the V1 spec. See \`scripts/generate.ts\` for the spec defects fixed here.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
${/\bEnums\./.test(modelsResolved) ? 'import * as Enums from "./enums.js"\n' : ""}${/\bFields\./.test(modelsResolved) ? 'import * as Fields from "./fields.js"\n' : ""}import { UnixSeconds } from "../operation.js"
import {
  Amount,
  arrayOrEmpty,
  ignoreExcessProperties,
  LenientInt,
  ${/openLiteral\(/.test(modelsResolved) ? "openLiteral," : ""}
  OptionPageNumber,
  optionalNullable,
  unixTimestampField
} from "../schema.js"
import { ${usedExisting.join(", ")} } from "../../Payment.js"

export { ${usedExisting.join(", ")} }

${modelsResolved}`

const fieldsResolved = resolveLiterals(fieldsBody)
const schemaHelpers = ["Amount", "arrayOrEmpty", "LenientInt", "openLiteral", "optionalNullable", "unixTimestampField"]
const fieldsHelpers = schemaHelpers.filter((h) => new RegExp(`\\b${h}\\b`).test(fieldsResolved))
if (/\bModels\./.test(fieldsResolved) && /\bFields\./.test(modelsResolved)) {
  throw new Error("fields.ts and models.ts would import each other: a model group must not name a model")
}
const fieldsTs = `${HEADER}/**
 * Runs of fields that several requests or models declare word for word (names, schemas and docs), each
 * hoisted into one object that they spread (see \`FIELD_GROUPS\` in \`scripts/operations.ts\`).
 *
 * @internal
 */
import * as Schema from "effect/Schema"
${/\bEnums\./.test(fieldsResolved) ? 'import * as Enums from "./enums.js"\n' : ""}${/\bModels\./.test(fieldsResolved) ? 'import * as Models from "./models.js"\n' : ""}${/\bUnixSeconds\b/.test(fieldsResolved) ? 'import { UnixSeconds } from "../operation.js"\n' : ""}${fieldsHelpers.length ? `import { ${fieldsHelpers.join(", ")} } from "../schema.js"\n` : ""}
${fieldsResolved}`

const registryTs = `${HEADER}/**
 * Every operation of the V1 spec, and the module function that implements it.
 *
 * @internal
 */

export interface RegisteredOperation {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly path: string
  readonly operationId: string
  readonly module: string
  readonly name: string
}

export const operations: ReadonlyArray<RegisteredOperation> = [
${allOps
  .map(
    (o) =>
      `  { method: "${o.method}", path: ${JSON.stringify(o.path)}, operationId: ${JSON.stringify(o.op.operationId)}, module: "${o.meta.module}", name: "${o.meta.name}" }`
  )
  .join(",\n")}
]
`

const moduleTs = (module: string, infos: ReadonlyArray<OpInfo>): string => {
  const raw = moduleBodies.get(module)!
  const body = resolveLiterals(raw)
  // What the module re-exports does not depend on which fields are spread from elsewhere.
  const ownFields = infos.flatMap((info) => requestTargets.get(info)!.fields.map((f) => f.line)).join("\n")
  const modelsUsed = new Set<string>()
  for (const m of ownFields.matchAll(/Models\.(\w+)/g)) modelsUsed.add(m[1]!)
  for (const info of infos) for (const m of opResponses.get(info)!.matchAll(/Models\.(\w+)/g)) modelsUsed.add(m[1]!)
  const exported = Array.from(modelsUsed)
    .filter((m) => !usedExisting.includes(m) && m !== "UnknownObject")
    .sort()
  const enums = enumsIn(ownFields).sort()
  const declared = new Set(Array.from(body.matchAll(/^export (?:const|type) (\w+)/gm), (m) => m[1]!))
  for (const name of [...exported, ...enums]) {
    if (declared.has(name)) throw new Error(`${module}: ${name} is both declared and re-exported`)
  }
  const usesMultiStatus = infos.some((info) => info.meta.multiStatus)
  const opImports = [
    "operation",
    ...(usesMultiStatus ? ["multiStatus"] : []),
    ...(infos.some((info) => info.meta.stream) ? ["paginate"] : []),
    ...(/\bUnixSeconds\b/.test(body) ? ["UnixSeconds"] : [])
  ]
  return `${HEADER}/**
 * ${MODULES[module]}
 *
 * Every operation is a declaration over \`IamportClient.request\`: an \`Effect\` that requires \`IamportClient\`
 * and fails with an \`IamportError\`. Request fields are the wire names (snake_case); UNIX-second fields
 * accept seconds, a \`Date\` or a \`DateTime\`. Reads are retried on transient failures, writes never.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
${/\bEnums\./.test(body) ? 'import * as Enums from "./internal/generated/enums.js"\n' : ""}${/\bFields\./.test(body) ? 'import * as Fields from "./internal/generated/fields.js"\n' : ""}import * as Models from "./internal/generated/models.js"
import { ${opImports.sort().join(", ")} } from "./internal/operation.js"
${/openLiteral\(/.test(body) ? 'import { openLiteral } from "./internal/schema.js"\n' : ""}
${enums.length ? `export { ${enums.join(", ")} } from "./internal/generated/enums.js"\n` : ""}${exported.length ? `export { ${exported.join(", ")} } from "./internal/generated/models.js"\n` : ""}${usesMultiStatus ? 'export type { MultiStatus } from "./internal/operation.js"\n' : ""}
${body}`
}

const files: Array<[string, string]> = [
  [Path.join(pkg, "src/internal/generated/enums.ts"), enumsTs],
  [Path.join(pkg, "src/internal/generated/fields.ts"), fieldsTs],
  [Path.join(pkg, "src/internal/generated/models.ts"), modelsTs],
  [Path.join(pkg, "src/internal/generated/registry.ts"), registryTs],
  ...Array.from(modules, ([module, infos]): [string, string] => [
    Path.join(pkg, `src/${module}.ts`),
    moduleTs(module, infos)
  ])
]

for (const [file, text] of files) {
  if (literalPlaceholder.test(text)) throw new Error(`${file}: an unresolved literal placeholder`)
  literalPlaceholder.lastIndex = 0
}

const main = async () => {
  let stale = 0
  for (const [file, text] of files) {
    const config = (await Prettier.resolveConfig(file)) ?? {}
    const formatted = await Prettier.format(text, { ...config, filepath: file })
    const current = Fs.existsSync(file) ? Fs.readFileSync(file, "utf8") : undefined
    if (current === formatted) continue
    if (check) {
      stale++
      console.error(`stale: ${Path.relative(process.cwd(), file)}`)
    } else {
      Fs.mkdirSync(Path.dirname(file), { recursive: true })
      Fs.writeFileSync(file, formatted)
      console.log(`wrote ${Path.relative(process.cwd(), file)}`)
    }
  }
  const counts = new Map<string, number>()
  for (const o of allOps) counts.set(o.meta.module, (counts.get(o.meta.module) ?? 0) + 1)
  if (!check) console.log(`${allOps.length} operations: ${Array.from(counts, ([m, n]) => `${m} ${n}`).join(", ")}`)
  if (stale > 0) {
    console.error(`${stale} generated file(s) are stale: run \`pnpm generate\``)
    process.exit(1)
  }
}

void main()
