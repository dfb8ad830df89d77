/**
 * Pass 3 of the generator: every operation of the spec with its metadata (`metadata.ts`), its request fields
 * (where each goes: path, query or body) and its response schema; and the generated ones grouped by module.
 */
import { type OperationMeta, OPERATIONS } from "./metadata.js"
import type { FieldLine, Response, Schemas } from "./schemas.js"
import type { Op, Spec } from "./spec.js"
import { clean, docLine, pascal, propertyKey } from "./text.js"

/** One request field of an operation. */
export interface Field {
  readonly key: string
  readonly wire: string
  readonly location: "path" | "query" | "body"
  readonly schema: string
  readonly required: boolean
  readonly description: string | undefined
}

/** An operation of the spec and its metadata. */
export interface OpInfo {
  readonly method: string
  readonly path: string
  readonly op: Op
  readonly meta: OperationMeta
}

/** A generated operation: its request fields (and their lines) and its response. */
export interface Generated {
  readonly info: OpInfo
  readonly fields: ReadonlyArray<Field>
  readonly lines: ReadonlyArray<FieldLine>
  readonly response: Response
}

/** Every operation of the spec, and the generated ones by module. */
export interface Operations {
  readonly all: ReadonlyArray<OpInfo>
  /** The generated operations, in the order of the spec. */
  readonly generated: ReadonlyArray<Generated>
  readonly modules: ReadonlyMap<string, ReadonlyArray<Generated>>
}

/** The name of the request struct of an operation. */
export const requestName = (info: OpInfo) => `${pascal(info.meta.name)}Request`

/** Every operation of the spec with its metadata; fails on an operation without, or metadata without one. */
const collect = (spec: Spec): Array<OpInfo> => {
  const all: Array<OpInfo> = []
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`
      const meta = OPERATIONS[key]
      if (meta === undefined) throw new Error(`no metadata for ${key} (add it to scripts/metadata.ts)`)
      all.push({ method: method.toUpperCase(), path, op, meta })
    }
  }
  for (const key of Object.keys(OPERATIONS)) {
    if (!all.some((o) => `${o.method} ${o.path}` === key)) throw new Error(`metadata for unknown operation ${key}`)
  }
  return all
}

/** The request fields of an operation, see quirks 1, 5 and 11 of `generate.ts`. */
const fieldsOf = (schemas: Schemas, info: OpInfo): Array<Field> => {
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
    const base = schemas.inputType(key, p)
    const schema = p.name.endsWith("[]") && !base.startsWith("Schema.Array") ? `Schema.Array(${base})` : base
    fields.push({ key, wire: p.name, location, schema, required: p.required === true, description: p.description })
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

/** Request-side names that live in `models.ts`. */
const modelsInputName = /\b([A-Z]\w*Input|UnknownObject)\b/g

/** The line of a request field: doc (with where it is sent), name and schema. */
const fieldLine = (f: Field): FieldLine => {
  let schema = f.schema.replace(modelsInputName, "Models.$1")
  if (!f.required) schema = `Schema.optional(${schema})`
  const wireNote = f.wire !== f.key && !f.wire.startsWith(`${f.key}[`) ? ` Sent as \`${f.wire}\`.` : ""
  const where = f.location === "body" ? "" : ` (${f.location}${f.wire.endsWith("[]") ? `, as \`${f.wire}\`` : ""})`
  return {
    key: f.key,
    line: `${docLine(`${clean(f.description)}${where}${wireNote}`)}${propertyKey(f.key)}: ${schema}`
  }
}

export const buildOperations = (spec: Spec, schemas: Schemas): Operations => {
  const all = collect(spec)
  const generated = all.filter((info) => !info.meta.handWritten)
  // responses first, then requests: the order in which literal sets are met decides nothing but stays stable
  const responses = new Map(
    generated.map((info) => [
      info,
      schemas.responseOf(info.method, info.path, info.op.operationId, info.op.responses["200"]?.schema)
    ])
  )
  const operations = generated.map((info): Generated => {
    const fields = fieldsOf(schemas, info)
    return { info, fields, lines: fields.map(fieldLine), response: responses.get(info)! }
  })
  const modules = new Map<string, Array<Generated>>()
  for (const g of operations) modules.set(g.info.meta.module, [...(modules.get(g.info.meta.module) ?? []), g])
  return { all, generated: operations, modules }
}
