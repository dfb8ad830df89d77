/**
 * Pass 4 of the generator: the fields that several structs declare word for word, spread from one place. A
 * request that repeats all the fields of an earlier request of its module spreads that request's `fields`;
 * the runs named in `FIELD_GROUPS` (`metadata.ts`) become objects of `fields.ts` that requests and models
 * spread.
 */
import { FIELD_GROUPS, type FieldGroupMeta } from "./metadata.js"
import { type Generated, type Operations, requestName } from "./operations.js"
import { className, type FieldLine } from "./schemas.js"

/** A struct the generator emits field by field: the request of an operation or the class of a definition. */
export interface Target {
  readonly label: string
  readonly fields: ReadonlyArray<FieldLine>
}

/** A field group with the text of its fields and the structs that spread it. */
export interface FieldGroup extends FieldGroupMeta {
  readonly text: string
  readonly users: ReadonlyArray<string>
}

/** The structs, with their shared runs spread. */
export interface Structs {
  readonly fieldGroups: ReadonlyArray<FieldGroup>
  /** The lines of a request: its fields, with shared runs spread. */
  readonly requestLines: (operation: Generated) => Array<string>
  /** The lines of the class of a definition. */
  readonly modelLines: (name: string) => Array<string>
}

/** A run of a struct's fields emitted as one spread (`...expr`). */
interface Spread {
  readonly at: number
  readonly length: number
  readonly expr: string
}

/** Where `run` stands in `list` (consecutive and in order), or -1. */
const indexOfRun = (list: ReadonlyArray<string>, run: ReadonlyArray<string>): number => {
  for (let i = 0; i + run.length <= list.length; i++) {
    if (run.every((x, j) => list[i + j] === x)) return i
  }
  return -1
}

/** The lines of a struct: its fields, with the given runs spread. */
const linesOf = (target: Target, spreads: ReadonlyArray<Spread>): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < target.fields.length;) {
    const spread = spreads.find((s) => s.at === i)
    if (spread) {
      out.push(`...${spread.expr}`)
      i += spread.length
    } else out.push(target.fields[i++]!.line)
  }
  return out
}

/**
 * Finds the shared runs. `models` are the definitions emitted as classes, with their fields; fails on a group
 * of `FIELD_GROUPS` that fewer than two structs share, or that names a model (`fields.ts` cannot import them).
 */
export const buildStructs = (
  operations: Operations,
  models: ReadonlyArray<{ readonly name: string; readonly fields: ReadonlyArray<FieldLine> }>
): Structs => {
  const requestTargets = new Map<Generated, Target>(
    operations.generated.map((g) => [g, { label: `${g.info.meta.module}.${g.info.meta.name}`, fields: g.lines }])
  )
  const modelTargets = new Map<string, Target>(
    models.map(({ name, fields }) => [name, { label: className(name), fields }])
  )
  const targets: ReadonlyArray<Target> = [...requestTargets.values(), ...modelTargets.values()]
  const spreads = new Map<Target, Array<Spread>>()
  const addSpread = (target: Target, spread: Spread) => spreads.set(target, [...(spreads.get(target) ?? []), spread])
  const isFree = (target: Target, at: number, length: number) =>
    (spreads.get(target) ?? []).every((s) => at + length <= s.at || s.at + s.length <= at)

  // A request whose fields include, word for word, all the fields (3 or more) of an earlier request of the same
  // module spreads that request's `fields`.
  for (const generated of operations.modules.values()) {
    generated.forEach((g, j) => {
      const lines = g.lines.map((f) => f.line)
      let best: { from: Generated; at: number; length: number } | undefined
      for (const earlier of generated.slice(0, j)) {
        const run = earlier.lines.map((f) => f.line)
        if (run.length < 3 || run.length <= (best?.length ?? 0)) continue
        const at = indexOfRun(lines, run)
        if (at !== -1) best = { from: earlier, at, length: run.length }
      }
      if (best) {
        addSpread(requestTargets.get(g)!, {
          at: best.at,
          length: best.length,
          expr: `${requestName(best.from.info)}.fields`
        })
      }
    })
  }

  const fieldGroups = FIELD_GROUPS.map((group): FieldGroup => {
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
    const named = models.map((m) => className(m.name)).find((cls) => new RegExp(`\\b${cls}\\b`).test(text))
    if (named !== undefined) throw new Error(`field group ${group.name} names the model ${named}: fields.ts cannot`)
    for (const { target, at } of users) {
      addSpread(target, { at, length: group.fields.length, expr: `Fields.${group.name}` })
    }
    return { ...group, text, users: users.map((u) => u.target.label) }
  })

  return {
    fieldGroups,
    requestLines: (g) => {
      const target = requestTargets.get(g)!
      return linesOf(target, spreads.get(target) ?? [])
    },
    modelLines: (name) => {
      const target = modelTargets.get(name)!
      return linesOf(target, spreads.get(target) ?? [])
    }
  }
}
