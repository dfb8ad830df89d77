/**
 * Pass 5 of the generator: the text of every generated file, all under `src/generated/`:
 * `models.ts`, `enums.ts`, `fields.ts`, `registry.ts`, and one module per area (`subscribe.ts`, ...) that the
 * hand-written public module of the area (`src/Subscribe.ts`) re-exports.
 */
import { hasPlaceholder, hoist, type Literals } from "./literals.js"
import { type Generated, type Operations, requestName } from "./operations.js"
import { className, EXISTING, type Schemas } from "./schemas.js"
import { refsOf, type Spec } from "./spec.js"
import type { Structs } from "./structs.js"
import { clean, HEADER, literalArgs, propertyKey } from "./text.js"

/** A generated file: its path relative to the package, and its text (not yet formatted). */
export interface File {
  readonly path: string
  readonly text: string
}

/** Where the generated files go, relative to the package. */
export const GENERATED_DIR = "src/generated"

/** The file name of the generated module of an area: `BillingKeys` -> `billingKeys.ts`. */
export const areaFile = (module: string) => `${module.charAt(0).toLowerCase()}${module.slice(1)}.ts`

/** The line by which the public module of an area re-exports its generated module. */
export const reexportLine = (module: string) =>
  `export * from "./generated/${areaFile(module).replace(/\.ts$/, ".js")}"`

const MODELS_EXTRAS = `
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
`

const UNKNOWN_OBJECT = `
/**
 * Request-side form of a spec field typed \`object\` without properties: any JSON object.
 *
 * @since 0.2.0
 */
export const UnknownObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })
`

/** The body of the generated module of an area (everything after its imports), literal sets as placeholders. */
const moduleBody = (structs: Structs, operations: ReadonlyArray<Generated>): string => {
  const body: Array<string> = []
  for (const g of operations) {
    const { info, fields } = g
    const { meta, op } = info
    const name = requestName(info)
    body.push(`/**
 * Request of \`${meta.name}\` (\`${info.method} ${info.path}\`). Field names are the wire names.
 *
 * @since 0.2.0
 */
export const ${name} = Schema.Struct({
${structs.requestLines(g).join(",\n")}
})
/** @since 0.2.0 */
export type ${name} = typeof ${name}.Type
`)
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
  response: ${g.response.schema}${pathParams.length ? `,\n  pathParams: [${pathParams.join(", ")}]` : ""}${query.length ? `,\n  query: { ${query.join(", ")} }` : ""}${bodyFields.length ? `,\n  body: [${bodyFields.join(", ")}]` : ""}
})`
    const value = meta.multiStatus
      ? `multiStatus(${declaration}, { ${Object.entries(meta.multiStatus)
          .map(([request, item]) => `${propertyKey(request)}: ${JSON.stringify(item)}`)
          .join(", ")} }${meta.notFoundIsEmpty ? ", { notFoundIsEmpty: true }" : ""})`
      : declaration
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
 * Every item of \`${meta.name}\`, walking all pages from \`page\` (default 1)${
   fields.some((f) => f.location === "query" && f.key === "limit") ? ", 1000 a page unless \`limit\` is given" : ""
 }.
 *
 * @since 0.2.0
 */
export const ${meta.stream} = paginate(${meta.name})
`)
    }
  }
  return body.join("\n")
}

/** Every generated file. `modelNames`: the definitions emitted as classes, dependencies first. */
export const emit = (
  spec: Spec,
  literals: Literals,
  schemas: Schemas,
  operations: Operations,
  structs: Structs,
  modelNames: ReadonlyArray<string>
): Array<File> => {
  const defs = spec.definitions
  const inputDefs = new Set<string>()
  for (const info of operations.all) {
    if (info.meta.handWritten) continue
    for (const p of info.op.parameters ?? []) for (const r of refsOf(p, new Set())) inputDefs.add(r)
  }
  const inputStructs = spec.ordered(inputDefs).map(schemas.inputStruct).join("\n")
  const modelClasses = modelNames.map((name) => schemas.modelClass(name, structs.modelLines(name))).join("\n")
  const usesUnknownObject =
    operations.generated.some((g) => g.lines.some((f) => /\bUnknownObject\b/.test(f.line))) ||
    /\bUnknownObject\b/.test(modelClasses) ||
    /\bUnknownObject\b/.test(inputStructs)
  const definitionEntries = Object.keys(defs).map((name) =>
    spec.isEnvelope(name)
      ? `  ${name}: { envelope: true, schema: ${schemas.payloadOf(name).replace(/Models\./g, "")} }`
      : `  ${name}: { envelope: false, schema: ${className(name)} }`
  )
  const inlineModels = operations.generated.flatMap((g) => (g.response.inline ? [g.response.inline] : []))

  const modelsBody = `${modelClasses}
${MODELS_EXTRAS}${usesUnknownObject ? UNKNOWN_OBJECT : ""}
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

  const fieldsBody = structs.fieldGroups
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

  const moduleBodies = new Map(Array.from(operations.modules, ([module, ops]) => [module, moduleBody(structs, ops)]))
  const resolved = hoist(literals, [modelsBody, fieldsBody, ...moduleBodies.values()])

  const enumsTs = `${HEADER}/**
 * The literal sets (open enums) that more than one generated schema declares, each hoisted into one named
 * constant (see \`ENUMS\` in \`scripts/metadata.ts\`). Every module whose requests use one re-exports it.
 *
 * @internal
 */
import { openLiteral } from "../internal/schema.js"

${[...resolved.hoisted]
  .sort((a, b) => a.name.localeCompare(b.name))
  .map((h) => {
    const specDoc = clean(h.set.fields.find((f) => f.key === h.key && clean(f.description) !== "")?.description)
    return `/**
 * ${h.doc}
 *${specDoc === "" ? "" : `\n * Spec (\`${h.key}\`): ${specDoc}\n *`}
 * Open: a value unknown to this client is accepted too.
 *
 * @since 0.2.0
 */
export const ${h.name} = openLiteral(${literalArgs(h.set.values)})
/** @since 0.2.0 */
export type ${h.name} = typeof ${h.name}.Type
`
  })
  .join("\n")}`

  const usedExisting = Array.from(new Set(Object.values(EXISTING))).sort()
  const modelsResolved = resolved.resolve(modelsBody)
  const modelsTs = `${HEADER}/**
 * \`Schema\`s of every definition of the V1 spec. See \`scripts/generate.ts\` for the spec defects fixed here.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
${codeImports(modelsResolved)}${/\bEnums\./.test(modelsResolved) ? 'import * as Enums from "./enums.js"\n' : ""}${/\bFields\./.test(modelsResolved) ? 'import * as Fields from "./fields.js"\n' : ""}import {
  Amount,
  arrayOrEmpty,
  ignoreExcessProperties,
  LenientInt,
  ${/openLiteral\(/.test(modelsResolved) ? "openLiteral," : ""}
  OptionPageNumber,
  optionalNullable,
  UnixSeconds,
  unixTimestampField
} from "../internal/schema.js"
import { ${usedExisting.join(", ")} } from "../Payment.js"

export { ${usedExisting.join(", ")} }

${modelsResolved}`

  const fieldsResolved = resolved.resolve(fieldsBody)
  if (/\bModels\./.test(fieldsResolved) && /\bFields\./.test(modelsResolved)) {
    throw new Error("fields.ts and models.ts would import each other: a model group must not name a model")
  }
  const fieldsTs = `${HEADER}/**
 * Runs of fields that several requests or models declare word for word (names, schemas and docs), each
 * hoisted into one object that they spread (see \`FIELD_GROUPS\` in \`scripts/metadata.ts\`).
 *
 * @internal
 */
import * as Schema from "effect/Schema"
${codeImports(fieldsResolved)}${/\bEnums\./.test(fieldsResolved) ? 'import * as Enums from "./enums.js"\n' : ""}${/\bModels\./.test(fieldsResolved) ? 'import * as Models from "./models.js"\n' : ""}${schemaImport(fieldsResolved)}
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
${operations.all
  .map(
    (o) =>
      `  { method: "${o.method}", path: ${JSON.stringify(o.path)}, operationId: ${JSON.stringify(o.op.operationId)}, module: "${o.meta.module}", name: "${o.meta.name}" }`
  )
  .join(",\n")}
]
`

  const moduleTs = (module: string, ops: ReadonlyArray<Generated>): string => {
    const body = resolved.resolve(moduleBodies.get(module)!)
    // What the module re-exports does not depend on which fields are spread from elsewhere.
    const ownFields = ops.flatMap((g) => g.lines.map((f) => f.line)).join("\n")
    const modelsUsed = new Set<string>()
    for (const m of ownFields.matchAll(/Models\.(\w+)/g)) modelsUsed.add(m[1]!)
    for (const g of ops) for (const m of g.response.schema.matchAll(/Models\.(\w+)/g)) modelsUsed.add(m[1]!)
    const exported = Array.from(modelsUsed)
      .filter((m) => !usedExisting.includes(m) && m !== "UnknownObject")
      .sort()
    const enums = resolved.enumsIn(ownFields).sort()
    const declared = new Set(Array.from(body.matchAll(/^export (?:const|type) (\w+)/gm), (m) => m[1]!))
    for (const name of [...exported, ...enums]) {
      if (declared.has(name)) throw new Error(`${module}: ${name} is both declared and re-exported`)
    }
    const opImports = [
      "operation",
      ...(ops.some((g) => g.info.meta.multiStatus) ? ["multiStatus"] : []),
      ...(ops.some((g) => g.info.meta.stream) ? ["paginate"] : [])
    ]
    return `${HEADER}/**
 * The operations of \`${module}\`, one declaration per endpoint over \`IamportClient.request\`. Public through
 * \`src/${module}.ts\`, which re-exports this module.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
${codeImports(body)}${/\bEnums\./.test(body) ? 'import * as Enums from "./enums.js"\n' : ""}${/\bFields\./.test(body) ? 'import * as Fields from "./fields.js"\n' : ""}import * as Models from "./models.js"
import { ${opImports.sort().join(", ")} } from "../internal/operation.js"
${schemaImport(body)}
${enums.length ? `export { ${enums.join(", ")} } from "./enums.js"\n` : ""}${exported.length ? `export { ${exported.join(", ")} } from "./models.js"\n` : ""}
${body}`
  }

  const files: Array<File> = [
    { path: `${GENERATED_DIR}/enums.ts`, text: enumsTs },
    { path: `${GENERATED_DIR}/fields.ts`, text: fieldsTs },
    { path: `${GENERATED_DIR}/models.ts`, text: modelsTs },
    { path: `${GENERATED_DIR}/registry.ts`, text: registryTs },
    ...Array.from(operations.modules, ([module, ops]) => ({
      path: `${GENERATED_DIR}/${areaFile(module)}`,
      text: moduleTs(module, ops)
    }))
  ]
  for (const file of files) {
    if (hasPlaceholder(file.text)) throw new Error(`${file.path}: an unresolved literal placeholder`)
  }
  return files
}

const SCHEMA_HELPERS = [
  "Amount",
  "arrayOrEmpty",
  "LenientInt",
  "openLiteral",
  "optionalNullable",
  "UnixSeconds",
  "unixTimestampField"
]

/** The imports of the code tables (`BankCode`, `CardCode`) that a text names, if any. */
const codeImports = (text: string): string =>
  ["BankCode", "CardCode"]
    .filter((table) => new RegExp(`\\b${table}\\.`).test(text.replace(/\/\*\*[\s\S]*?\*\//g, "")))
    .map((table) => `import * as ${table} from "../${table}.js"\n`)
    .join("")

/** The import of the `internal/schema.ts` helpers that a text names, if any. */
const schemaImport = (text: string): string => {
  const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "")
  const used = SCHEMA_HELPERS.filter((h) => new RegExp(`\\b${h}\\b`).test(code))
  return used.length ? `import { ${used.join(", ")} } from "../internal/schema.js"\n` : ""
}
