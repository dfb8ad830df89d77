/**
 * The literal sets (open enums) of the generated code. While the schemas are built, a schema expression
 * names a set by a placeholder (`@literal3@`); once every text is built, `hoist` makes a set that stands in
 * more than one place one constant of `enums.ts` (named in `ENUMS` of `metadata.ts`), and any other an inline
 * `openLiteral(...)`.
 */
import { ENUMS } from "./metadata.js"
import { literalArgs } from "./text.js"

/** A literal set of the spec, with the fields (and their descriptions) that declare it. */
export interface LiteralSet {
  readonly values: ReadonlyArray<string>
  readonly fields: ReadonlyArray<{ readonly key: string; readonly description: string | undefined }>
}

/** The literal sets met so far, and the placeholder of each. */
export interface Literals {
  /** The placeholder of a set, recording that field `key` declares it. */
  readonly placeholder: (values: ReadonlyArray<string>, key: string, description: string | undefined) => string
  readonly sets: () => ReadonlyArray<LiteralSet>
}

/** A literal set hoisted into `enums.ts`: the name and doc of its `ENUMS` entry, and the field it is keyed by. */
export interface Hoisted {
  readonly name: string
  readonly doc: string
  readonly key: string
  readonly set: LiteralSet
}

/** The literal sets once every text is built. */
export interface ResolvedLiterals {
  readonly hoisted: ReadonlyArray<Hoisted>
  /** Replaces the placeholders: `Enums.<Name>` for a hoisted set, an inline `openLiteral(...)` otherwise. */
  readonly resolve: (text: string) => string
  /** The names of the hoisted sets that a text names. */
  readonly enumsIn: (text: string) => Array<string>
}

const placeholders = () => /@literal(\d+)@/g

/** Whether a text still holds a placeholder. */
export const hasPlaceholder = (text: string): boolean => placeholders().test(text)

export const makeLiterals = (): Literals => {
  const sets: Array<{ readonly values: ReadonlyArray<string>; readonly fields: Array<LiteralSet["fields"][number]> }> =
    []
  return {
    placeholder: (values, key, description) => {
      let index = sets.findIndex((set) => literalArgs(set.values) === literalArgs(values))
      if (index === -1) index = sets.push({ values, fields: [] }) - 1
      sets[index]!.fields.push({ key, description })
      return `@literal${index}@`
    },
    sets: () => sets
  }
}

/** Hoists the sets that stand in more than one place of `texts`; fails when `ENUMS` does not name them once. */
export const hoist = (literals: Literals, texts: ReadonlyArray<string>): ResolvedLiterals => {
  const sets = literals.sets()
  const counts = new Map<number, number>()
  for (const text of texts) {
    for (const m of text.matchAll(placeholders())) counts.set(+m[1]!, (counts.get(+m[1]!) ?? 0) + 1)
  }
  const hoisted = new Map<number, Hoisted>()
  for (const [index, count] of counts) {
    if (count < 2) continue
    const set = sets[index]!
    const keys = Array.from(new Set(set.fields.map((f) => f.key).filter((k) => ENUMS[k] !== undefined)))
    if (keys.length !== 1) {
      throw new Error(
        `the literal set ${literalArgs(set.values)} stands in ${count} places (fields ${Array.from(new Set(set.fields.map((f) => f.key))).join(", ")}): ${keys.length === 0 ? "name it" : "name it once"} in ENUMS (scripts/metadata.ts)`
      )
    }
    hoisted.set(index, { ...ENUMS[keys[0]!]!, key: keys[0]!, set })
  }
  for (const [key, meta] of Object.entries(ENUMS)) {
    const uses = Array.from(hoisted.values()).filter((h) => h.name === meta.name)
    if (uses.length !== 1) throw new Error(`ENUMS.${key} (${meta.name}) names ${uses.length} repeated literal sets`)
  }
  return {
    hoisted: Array.from(hoisted.values()),
    resolve: (text) =>
      text.replace(placeholders(), (_, i: string) => {
        const h = hoisted.get(+i)
        return h ? `Enums.${h.name}` : `openLiteral(${literalArgs(sets[+i]!.values)})`
      }),
    enumsIn: (text) =>
      Array.from(new Set(Array.from(text.matchAll(placeholders()), (m) => hoisted.get(+m[1]!)?.name))).filter(
        (n): n is string => n !== undefined
      )
  }
}
