import * as Client from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Fs from "node:fs"
import { definitionSchemas } from "../src/generated/models.js"
import { operations } from "../src/generated/registry.js"

interface Prop {
  readonly type?: string
  readonly enum?: ReadonlyArray<string>
  readonly $ref?: string
  readonly items?: Prop | string
  readonly schema?: Prop
  readonly properties?: Record<string, Prop>
  readonly required?: ReadonlyArray<string>
  readonly allOf?: ReadonlyArray<Prop>
}

const spec = JSON.parse(Fs.readFileSync(new URL("../spec/v1.openapi.json", import.meta.url), "utf8")) as {
  readonly paths: Record<string, Record<string, { readonly responses: Record<string, { readonly schema?: Prop }> }>>
  readonly definitions: Record<string, Prop>
}

const specOperations = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)
)

/** A value shaped like the spec says: every property (or only the required ones), each of its declared type. */
const sample = (prop: Prop | string | undefined, full: boolean, depth = 0): unknown => {
  if (prop === undefined || typeof prop === "string") return "x"
  if (prop.$ref) return sample(spec.definitions[prop.$ref.replace("#/definitions/", "")], full, depth + 1)
  if (prop.schema) return sample(prop.schema, full, depth)
  if (prop.allOf) return Object.assign({}, ...prop.allOf.map((p) => sample(p, full, depth)))
  if (prop.properties) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(prop.properties)) {
      if (full || prop.required?.includes(key)) out[key] = sample(value, full, depth + 1)
    }
    return out
  }
  switch (prop.type) {
    case "string":
      return prop.enum?.[0] ?? "x"
    case "integer":
      return 1_700_000_000
    case "number":
      return 1000
    case "boolean":
      return true
    case "array":
      return depth > 6 ? [] : [sample(prop.items, full, depth + 1)]
    default:
      return {}
  }
}

const decode = (schema: Schema.Schema<any, any, never>, value: unknown) =>
  Schema.decodeUnknownEither(schema)(value, { onExcessProperty: "ignore" })

/** Definitions whose `required` list names properties they do not have or that are not required (`docs/API-NOTES.md`). */
const WRONG_REQUIRED = new Set(["PaymentPrepareAnnotation"])

const modules = Client as unknown as Record<string, Record<string, unknown>>

describe("conformance with the vendored V1 spec", () => {
  it("the spec has 80 operations and the registry declares each of them once", () => {
    assert.strictEqual(specOperations.length, 80)
    const declared = operations.map((o) => `${o.method} ${o.path}`)
    assert.deepStrictEqual([...declared].sort(), [...specOperations].sort())
    assert.strictEqual(new Set(declared).size, declared.length)
  })

  it("every operation is a function of its module, and generated ones declare the spec's method and path", () => {
    for (const op of operations) {
      const fn = modules[op.module]?.[op.name] as
        (((...args: Array<never>) => unknown) & { declaration?: { method: string; path: string } }) | undefined
      assert.strictEqual(typeof fn, "function", `${op.method} ${op.path}: ${op.module}.${op.name}`)
      if (fn?.declaration !== undefined) {
        assert.strictEqual(`${fn.declaration.method} ${fn.declaration.path}`, `${op.method} ${op.path}`)
      }
      if (op.method !== "GET" && fn?.declaration !== undefined) {
        // writes are never retried
        assert.notStrictEqual((fn.declaration as { idempotent?: boolean }).idempotent, true)
      }
    }
  })

  it("decodes a spec-shaped sample (all properties, and required ones only) of every definition", () => {
    const names = Object.keys(spec.definitions)
    assert.strictEqual(names.length, 80)
    for (const name of names) {
      const entry = definitionSchemas[name]
      assert.isDefined(entry, name)
      for (const full of WRONG_REQUIRED.has(name) ? [true] : [true, false]) {
        const value = sample(spec.definitions[name], full) as Record<string, unknown>
        if (entry!.envelope && value.response === undefined) continue
        const result = decode(entry!.schema, entry!.envelope ? value.response : value)
        assert.isTrue(
          Either.isRight(result),
          `${name} (${full ? "full" : "required only"}): ${Either.isLeft(result) ? String(result.left) : ""}`
        )
      }
    }
  })

  it("each generated operation decodes a sample of its spec response", () => {
    let checked = 0
    for (const op of operations) {
      const fn = modules[op.module]?.[op.name] as { declaration?: { response: Schema.Schema<any, any, never> } }
      if (fn.declaration === undefined) continue
      const schema = spec.paths[op.path]![op.method.toLowerCase()]!.responses["200"]?.schema
      if (schema === undefined) continue
      const envelopes = schema.properties?.response
        ? [schema]
        : schema.properties
          ? Object.values(schema.properties)
          : [schema]
      for (const envelope of envelopes) {
        const value = sample(envelope, true) as { response?: unknown }
        const result = decode(fn.declaration.response, value.response ?? null)
        assert.isTrue(
          Either.isRight(result),
          `${op.method} ${op.path}: ${Either.isLeft(result) ? String(result.left) : ""}`
        )
        checked++
      }
    }
    assert.isAbove(checked, 60)
  })
})
