/**
 * Pass 1 of the generator: read the vendored V1 spec, and the questions every later pass asks of it (the
 * properties of a definition, whether it is an envelope, what it refers to).
 */
import * as Fs from "node:fs"

/** A property, parameter type or definition of the spec (Swagger 2). */
export interface Prop {
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

/** A parameter of an operation. */
export interface Param extends Omit<Prop, "required"> {
  readonly name: string
  readonly in: "path" | "query" | "formData" | "body"
  readonly required?: boolean
}

/** An operation of the spec. */
export interface Op {
  readonly operationId: string
  readonly parameters?: ReadonlyArray<Param>
  readonly responses: Record<string, { readonly schema?: Prop }>
}

/** The spec, and the questions the generator asks of its definitions. */
export interface Spec {
  readonly paths: Record<string, Record<string, Op>>
  readonly definitions: Record<string, Prop>
  /** Properties and required list of a definition, `allOf` merged. */
  readonly shape: (def: Prop) => { properties: Record<string, Prop>; required: ReadonlyArray<string> }
  /** Whether a definition is an answer envelope (`{code, message, response}`). */
  readonly isEnvelope: (name: string) => boolean
  /** The given definitions and those they refer to, dependencies first. */
  readonly ordered: (names: Iterable<string>) => Array<string>
}

export const refName = (ref: string) => ref.replace("#/definitions/", "")

/** The definitions a property refers to, added to `out`. */
export const refsOf = (p: Omit<Prop, "required"> | string | undefined, out: Set<string>): Set<string> => {
  if (p === undefined || typeof p === "string") return out
  if (p.$ref) out.add(refName(p.$ref))
  refsOf(p.items, out)
  refsOf(p.schema, out)
  for (const v of Object.values(p.properties ?? {})) refsOf(v, out)
  for (const v of p.allOf ?? []) refsOf(v, out)
  return out
}

/** Reads the spec file. */
export const readSpec = (file: string): Spec => {
  const { paths, definitions: defs } = JSON.parse(Fs.readFileSync(file, "utf8")) as {
    readonly paths: Record<string, Record<string, Op>>
    readonly definitions: Record<string, Prop>
  }
  const shape: Spec["shape"] = (def) => {
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
  return { paths, definitions: defs, shape, isEnvelope, ordered }
}
