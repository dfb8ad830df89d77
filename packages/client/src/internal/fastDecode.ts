/**
 * A fast path for decoding responses: compiles a Schema AST once into plain JS functions that mirror
 * `ParseResult`'s decoding interpreter (`go`) for the node kinds the models use, without building
 * `ParseIssue`s or `Effect`s.
 *
 * A compiled decoder returns the decoded value or {@link Fail}; on `Fail` the caller runs
 * `Schema.decodeUnknownEither`, which gives the exact value or the exact error. So it must return exactly
 * what Schema returns for the inputs it accepts, and may refuse anything.
 *
 * Inside the compiled tree a node returns `Fail` only where Schema's parser of that node fails, so that a
 * union moves on to its next member as Schema does. Where a node cannot tell (a transformation that
 * returns an `Effect`), it throws, and the whole decode gives up with `Fail`.
 *
 * Decoding is that of a top-level `decodeUnknownEither(schema)(input, { onExcessProperty: "ignore" })`.
 * Node kinds not mirrored here, and nodes whose annotations change parsing, are decoded by Effect's own
 * parser for that subtree.
 *
 * The contract, its limits and the off switch (`IamportClient.FastDecode`): docs/FAST-DECODE.md.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Either from "effect/Either"
import { constTrue } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as IamportClient from "../IamportClient.js"

/** Whether responses try the fast path first (the default) or decode through Schema only; see `IamportClient.FastDecode`. */
export const FastDecode = Context.Reference<IamportClient.FastDecode>()(
  "@effect-iamport/client/IamportClient/FastDecode",
  {
    defaultValue: constTrue
  }
)

/** What a fast decoder returns for an input it does not decode; the caller then decodes with Schema. */
export const Fail: unique symbol = Symbol("@effect-iamport/client/FastDecode/Fail") // unforgeable by an input
/** @internal */
export type Fail = typeof Fail

/** A compiled decoder: the decoded value, or {@link Fail}. */
export type FastDecoder<A> = (input: unknown) => A | Fail

/** A compiled AST node: the decoded value, or `Fail` exactly where Schema fails on that node. */
type Node = (input: unknown) => unknown

/** The options Schema passes down for a top-level decode with `{ onExcessProperty: "ignore" }`. */
const options: AST.ParseOptions = Object.freeze({ onExcessProperty: "ignore" })

/** Thrown where the fast path cannot tell what Schema would do; the decode then returns `Fail`. */
const unsure = Symbol("unsure")

const decoders = new WeakMap<AST.AST, FastDecoder<unknown>>()
const nodes = new WeakMap<AST.AST, Node>()

/**
 * The fast decoder of a schema, compiled on first use. Decodes as
 * `Schema.decodeUnknownEither(schema)(input, { onExcessProperty: "ignore" })` does, or returns {@link Fail}.
 */
export const fastDecoder = <A, I>(schema: Schema.Schema<A, I, never>): FastDecoder<A> => {
  let decoder = decoders.get(schema.ast)
  if (decoder === undefined) {
    const node = compile(schema.ast)
    decoder = (input) => {
      try {
        return node(input)
      } catch {
        // `unsure`, or a transformation that throws: left to Schema (which throws the same way, if it does)
        return Fail
      }
    }
    decoders.set(schema.ast, decoder)
  }
  return decoder as FastDecoder<A>
}

const compile = (ast: AST.AST): Node => {
  let node = nodes.get(ast)
  if (node === undefined) {
    node = changesParsing(ast) ? delegate(ast) : compileNode(ast)
    nodes.set(ast, node)
  }
  return node
}

/**
 * A `parseOptions` annotation changes the options of its subtree (a no-op when it only repeats
 * `onExcessProperty: "ignore"`, as the models' annotations do); a `decodingFallback` replaces failures.
 */
const changesParsing = (ast: AST.AST): boolean => {
  const parseOptions = AST.getParseOptionsAnnotation(ast)
  if (Option.isSome(parseOptions)) {
    const merged: Record<string, unknown> = { ...options, ...parseOptions.value }
    if (Object.keys(merged).length !== 1 || merged.onExcessProperty !== "ignore") return true
  }
  return Option.isSome(AST.getDecodingFallbackAnnotation(ast))
}

/** Effect's own parser of a subtree; its `Left` is exactly Schema's failure of that node. */
const delegate = (ast: AST.AST): Node => {
  const parse = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (input) => {
    const result = parse(input, options)
    return Either.isRight(result) ? result.right : Fail
  }
}

const compileNode = (ast: AST.AST): Node => {
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
      return guardNode({ typeOfs: [typeOfKeyword[ast._tag]], literals: [], tests: [] })
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return guardNode({ typeOfs: [], literals: [], tests: [() => true] })
    case "NeverKeyword":
      return guardNode({ typeOfs: [], literals: [], tests: [] })
    case "Literal":
      return guardNode({ typeOfs: [], literals: [ast.literal], tests: [] })
    case "Enums":
      return guardNode({ typeOfs: [], literals: ast.enums.map(([, value]) => value), tests: [] })
    case "Refinement":
      return compileRefinement(ast)
    case "Transformation":
      return compileTransformation(ast)
    case "Declaration":
      return compileDeclaration(ast)
    case "TypeLiteral":
      return ast.indexSignatures.length > 0
        ? delegate(ast)
        : ast.propertySignatures.length === 0
          ? guardNode({ typeOfs: [], literals: [], tests: [(u) => u !== null && u !== undefined] })
          : compileTypeLiteral(ast)
    case "TupleType":
      return ast.elements.length === 0 && ast.rest.length === 1
        ? compileArray(compile(ast.rest[0].type))
        : delegate(ast)
    case "Union":
      return ast.types.some(hasLiterals) ? delegate(ast) : compileUnion(ast.types.map(compile))
    default:
      // Suspend, TemplateLiteral, UniqueSymbol, ObjectKeyword, ...
      return delegate(ast)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Guards: nodes that return their input unchanged when it passes a test (keywords, literals, their unions
// and refinements). A union of guards is one guard: whichever member accepts, the result is the input.
// ---------------------------------------------------------------------------------------------------------

/**
 * Accepts when `typeof` is one of `typeOfs`, or the input `===` one of `literals`, or a test holds. Only
 * `tests` may call user code (filters); `typeOfs` and `literals` are checked in any order.
 */
interface Guard {
  readonly typeOfs: ReadonlyArray<string>
  readonly literals: ReadonlyArray<unknown>
  readonly tests: ReadonlyArray<(u: unknown) => boolean>
}

const typeOfKeyword = {
  StringKeyword: "string",
  NumberKeyword: "number",
  BooleanKeyword: "boolean",
  UndefinedKeyword: "undefined"
} as const

const guards = new WeakMap<Node, Guard>()

const guardNode = (guard: Guard): Node => {
  const test = toPredicate(guard)
  const node: Node = (input) => (test(input) ? input : Fail)
  guards.set(node, guard)
  return node
}

const toPredicate = (guard: Guard): ((u: unknown) => boolean) => {
  const types = Array.from(new Set(guard.typeOfs))
  // literals a `typeof` already accepts are redundant; NaN matches nothing under `===`
  const values = Array.from(new Set(guard.literals)).filter((v) => v === v && !types.includes(typeof v))
  const [t0, t1] = types // `typeof u === undefined` never holds
  const set = new Set(values) // `Set.has` is `===` for everything but NaN
  const [v0] = values
  const simple =
    types.length > 2
      ? (u: unknown) => types.includes(typeof u) || set.has(u)
      : values.length === 0
        ? (u: unknown) => typeof u === t0 || typeof u === t1
        : values.length === 1
          ? (u: unknown) => typeof u === t0 || typeof u === t1 || u === v0
          : (u: unknown) => typeof u === t0 || typeof u === t1 || set.has(u)
  if (guard.tests.length === 0) return simple
  return types.length + values.length === 0 ? anyOf(guard.tests) : anyOf([simple, ...guard.tests])
}

// ---------------------------------------------------------------------------------------------------------
// Composite nodes
// ---------------------------------------------------------------------------------------------------------

/** Decode `from`, then run the filter; any issue fails. */
const compileRefinement = (ast: AST.Refinement): Node => {
  const from = compile(ast.from)
  const filter = ast.filter
  const fromGuard = guards.get(from)
  if (fromGuard !== undefined) {
    const fromTest = toPredicate(fromGuard)
    return guardNode({
      typeOfs: [],
      literals: [],
      tests: [(u) => fromTest(u) && Option.isNone(filter(u, options, ast))]
    })
  }
  return (input) => {
    const a = from(input)
    return a === Fail || Option.isSome(filter(a, options, ast)) ? Fail : a
  }
}

/** Decode `from`, transform, then decode `to` (for type-side ASTs that is validation). */
const compileTransformation = (ast: AST.Transformation): Node => {
  const transformation = ast.transformation
  if (transformation._tag === "TypeLiteralTransformation") {
    return compileStructTransformation(ast, transformation) ?? compilePropertyTransformations(ast, transformation)
  }
  const from = compile(ast.from)
  const to = compile(ast.to)
  if (transformation._tag === "ComposeTransformation") {
    return (input) => {
      const a = from(input)
      return a === Fail ? Fail : to(a)
    }
  }
  const decode = transformation.decode
  const construct = ast.to._tag === "Declaration" ? plainConstructor(ast, decode) : undefined
  const direct = construct === undefined ? undefined : structOf.get(from)?.(construct.prototype, construct.defaulted)
  if (construct !== undefined && direct !== undefined) {
    // a `Schema.Class`: the fields decoded straight into its instance, which is all its constructor would do
    const { prototype } = construct
    return (input) => {
      const a = direct(input)
      if (a === Fail) return Fail
      if (Object.getPrototypeOf(a) === prototype) return to(a)
      // a plain object: a defaulted field decoded as `undefined`, where the constructor puts its default in
      const result = decode(a, options, ast, input)
      const right = rightOf(result)
      return right === Fail ? Fail : to(right)
    }
  }
  if (construct !== undefined) {
    // a class over another shape of struct: its instance built from the decoded fields in one copy
    const { defaulted, prototype } = construct
    return (input) => {
      const a = from(input) as Record<PropertyKey, unknown> | Fail
      if (a === Fail) return Fail
      if (!defaulted.some((key) => a[key] === undefined)) return to(Object.assign(Object.create(prototype), a))
      const result = decode(a, options, ast, input)
      const right = rightOf(result)
      return right === Fail ? Fail : to(right)
    }
  }
  return (input) => {
    const a = from(input)
    if (a === Fail) return Fail
    const result = decode(a, options, ast, input)
    const right = rightOf(result)
    return right === Fail ? Fail : to(right)
  }
}

/**
 * For a class schema (`Schema.Class`: a struct to the class's declaration, decoded by `new this(fields, true)`),
 * the prototype and the defaulted keys that let the fast path make the same instance without the class
 * constructor's three copies of the fields (a spread, the constructor defaults merged in, then `Object.assign`
 * onto the instance): the struct's fields decoded straight into an object of that prototype (`structOf`), or
 * `Object.assign(Object.create(prototype), fields)`. Only when the class's own decode, probed once here, does
 * exactly that: an instance of one prototype whose own keys are the given ones, in order, with the given
 * values, for all the fields present, and for all of them `undefined` but those the constructor gives a
 * default (found by probing with no fields). A decoded value where one of those is `undefined` (the
 * constructor would put its default in) goes through the class's own decode, as does every class whose
 * probes throw or differ (a `_tag` put back, an instance field added).
 */
const plainConstructor = (
  ast: AST.Transformation,
  decode: AST.FinalTransformation["decode"]
): { readonly prototype: object; readonly defaulted: ReadonlyArray<PropertyKey> } | undefined => {
  const struct = AST.typeAST(ast.from)
  if (struct._tag !== "TypeLiteral" || struct.indexSignatures.length > 0) return undefined
  const names = struct.propertySignatures.map((ps) => ps.name)
  if (names.length === 0) return undefined
  const run = (fields: Record<PropertyKey, unknown>): object | undefined => {
    try {
      const result = decode(fields, options, ast, fields)
      if (!Either.isEither(result) || Either.isLeft(result)) return undefined
      const instance = result.right
      return typeof instance === "object" && instance !== null && instance !== fields ? instance : undefined
    } catch {
      return undefined
    }
  }
  // the prototype of an instance that is an exact copy of `fields`, or undefined
  const copyOf = (fields: Record<PropertyKey, unknown>): object | null | undefined => {
    const instance = run(fields) as Record<PropertyKey, unknown> | undefined
    if (instance === undefined) return undefined
    const keys = Reflect.ownKeys(instance)
    const expected = Reflect.ownKeys(fields)
    if (keys.length !== expected.length) return undefined
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      if (key !== expected[i] || instance[key] !== fields[key]) return undefined
      if (Object.getOwnPropertyDescriptor(instance, key)?.enumerable !== true) return undefined
    }
    return Object.getPrototypeOf(instance)
  }
  const empty = run({})
  if (empty === undefined) return undefined
  const defaulted: ReadonlyArray<PropertyKey> = Reflect.ownKeys(empty)
  if (!defaulted.every((key) => names.includes(key))) return undefined
  const present = Object.fromEntries(names.map((name, i) => [name, { probe: i }]))
  const absent = Object.fromEntries(names.map((name, i) => [name, defaulted.includes(name) ? { probe: i } : undefined]))
  const prototype = copyOf(present)
  if (prototype === undefined || prototype === null || prototype === Object.prototype) return undefined
  if (Object.getPrototypeOf(empty) !== prototype || copyOf(absent) !== prototype) return undefined
  return { prototype, defaulted }
}

/**
 * Property signature transformations as ParseResult applies them: on the decoded `from` object, in place,
 * each one reading (`Option`) and deleting its `from` key and maybe writing its `to` key; then `to`.
 */
const compilePropertyTransformations = (
  ast: AST.Transformation,
  transformation: AST.TypeLiteralTransformation
): Node => {
  const from = compile(ast.from)
  const to = compile(ast.to)
  const psts = transformation.propertySignatureTransformations
  return (input) => {
    const a = from(input) as Record<PropertyKey, unknown> | Fail
    if (a === Fail) return Fail
    for (const pst of psts) {
      const o = pst.decode(Object.prototype.hasOwnProperty.call(a, pst.from) ? Option.some(a[pst.from]) : Option.none())
      delete a[pst.from]
      if (Option.isSome(o)) a[pst.to] = o.value
    }
    return to(a)
  }
}

/**
 * The usual struct with `optionalWith` fields (a struct to a struct with the same keys, each property
 * transformation keeping its key), in one pass instead of ParseResult's three (decode the `from` struct,
 * rewrite it in place, decode the `to` struct), with the same outcome: for each key, the `from` property
 * (if present or required), then its transformation, then the `to` property. Other shapes are not fused.
 */
const compileStructTransformation = (
  ast: AST.Transformation,
  transformation: AST.TypeLiteralTransformation
): Node | undefined => {
  const { from, to } = ast
  if (!isPlainStruct(from) || !isPlainStruct(to)) return undefined
  const fromByName = new Map(from.propertySignatures.map((ps) => [ps.name, ps]))
  const psts = new Map(transformation.propertySignatureTransformations.map((pst) => [pst.from, pst]))
  const fusable =
    fromByName.size > 0 &&
    to.propertySignatures.length === fromByName.size &&
    to.propertySignatures.every((ps) => fromByName.has(ps.name) && !(ps.name in Object.prototype)) &&
    psts.size === transformation.propertySignatureTransformations.length &&
    transformation.propertySignatureTransformations.every((pst) => pst.from === pst.to && fromByName.has(pst.from))
  if (!fusable) return undefined
  const properties = to.propertySignatures.map((ps) => {
    const fromPs = fromByName.get(ps.name)!
    return {
      name: ps.name,
      fromOptional: fromPs.isOptional,
      fromDecode: compile(fromPs.type),
      transform: psts.get(ps.name)?.decode,
      toOptional: ps.isOptional,
      toDecode: compile(ps.type)
    }
  })
  return struct(
    properties.map((p) => p.name),
    true,
    (record, values, plain) => {
      for (let i = 0; i < properties.length; i++) {
        const p = properties[i]
        let value = record[p.name]
        let present = (plain && value !== undefined) || Object.prototype.hasOwnProperty.call(record, p.name)
        if (present || !p.fromOptional) {
          value = p.fromDecode(value)
          if (value === Fail) return false
          present = true
        } else {
          value = undefined
        }
        if (p.transform !== undefined) {
          const o = p.transform(present ? Option.some(value) : Option.none())
          present = Option.isSome(o)
          value = present ? (o as Option.Some<unknown>).value : undefined
        }
        if (!present && p.toOptional) {
          values[i] = Absent
          continue
        }
        value = p.toDecode(value)
        if (value === Fail) return false
        values[i] = value
      }
      return true
    }
  )
}

/**
 * A declaration's own parser (a class's `instanceof` check, `DateTimeUtcFromSelf`, ...), as ParseResult calls
 * it; `OptionFromSelf` compiled (below).
 */
const compileDeclaration = (ast: AST.Declaration): Node => {
  if (isOptionFromSelf(ast)) return compileOption(compile(ast.typeParameters[0]))
  const parse = ast.decodeUnknown(...ast.typeParameters)
  return (input) => {
    const result = parse(input, options, ast)
    return rightOf(result)
  }
}

/** `Schema.OptionFromSelf(value)`, by the type constructor Schema annotates it with. */
const isOptionFromSelf = (ast: AST.Declaration): boolean => {
  const constructor = ast.annotations[AST.TypeConstructorAnnotationId] as { readonly _tag?: unknown } | undefined
  return constructor?._tag === "effect/Option" && ast.typeParameters.length === 1
}

/**
 * `OptionFromSelf`'s parser without ParseResult's machinery for its value: an `Option`; `none()` for a `None`,
 * a new `Some` of the decoded value for a `Some` (Schema makes a new one too).
 */
const compileOption =
  (value: Node): Node =>
  (input) => {
    if (typeof input !== "object" || input === null) return Fail
    const prototype = Object.getPrototypeOf(input)
    if (prototype !== somePrototype && prototype !== nonePrototype && !Option.isOption(input)) return Fail
    if (Option.isNone(input as Option.Option<unknown>)) return Option.none()
    const decoded = value((input as Option.Some<unknown>).value)
    return decoded === Fail ? Fail : Option.some(decoded)
  }

const somePrototype = Object.getPrototypeOf(Option.some(undefined))
const nonePrototype = Object.getPrototypeOf(Option.none())

/**
 * A struct without index signatures: a non-array object, each property decoded from `input[name]` (an
 * absent optional property stays absent, an absent required one is decoded as `undefined`, as without
 * `exact`), into a fresh object with only the declared keys, in declared order.
 */
const compileTypeLiteral = (ast: AST.TypeLiteral): Node => {
  const properties = ast.propertySignatures.map((ps) => ({
    name: ps.name,
    isOptional: ps.isOptional,
    decode: compile(ps.type)
  }))
  return struct(
    properties.map((p) => p.name),
    properties.every((p) => !(p.name in Object.prototype)),
    (record, values, plain) => {
      for (let i = 0; i < properties.length; i++) {
        const p = properties[i]
        const value = record[p.name]
        if (p.isOptional && !(plain && value !== undefined) && !Object.prototype.hasOwnProperty.call(record, p.name)) {
          values[i] = Absent
          continue
        }
        const decoded = p.decode(value)
        if (decoded === Fail) return false
        values[i] = decoded
      }
      return true
    }
  )
}

/** `Schema.Array`: an array, each item decoded, into a fresh array. */
const compileArray =
  (item: Node): Node =>
  (input) => {
    if (!Array.isArray(input)) return Fail
    const output: Array<unknown> = []
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i])
      if (value === Fail) return Fail
      output.push(value)
    }
    return output
  }

/** A union without tagged members: the first member, in declared order, that decodes. */
const compileUnion = (members: ReadonlyArray<Node>): Node => {
  const memberGuards = members.map((member) => guards.get(member))
  if (memberGuards.every((guard) => guard !== undefined)) {
    if (memberGuards.every((guard) => guard.tests.length === 0)) {
      return guardNode({
        typeOfs: memberGuards.flatMap((guard) => guard.typeOfs),
        literals: memberGuards.flatMap((guard) => guard.literals),
        tests: []
      })
    }
    // with filters, keep the declared order: a filter runs exactly when Schema runs it
    const predicates = memberGuards.map(toPredicate)
    return guardNode({ typeOfs: [], literals: [], tests: [anyOf(predicates)] })
  }
  return (input) => {
    for (let i = 0; i < members.length; i++) {
      const value = members[i](input)
      if (value !== Fail) return value
    }
    return Fail
  }
}

// ---------------------------------------------------------------------------------------------------------
// Objects: structs decode into objects built in V8's fast-properties mode
// ---------------------------------------------------------------------------------------------------------

/** A struct's decoded value of a key that stays absent (an optional key missing from the input). */
const Absent: unique symbol = Symbol("Absent")

/** Makes the object a struct decodes to from its decoded values, in declared order (`Absent` for a key left out). */
type Build = (values: ReadonlyArray<unknown>) => object

/**
 * Decodes a struct's properties from `record` into `values`, in declared order; `false` where Schema fails.
 * `plain`: the record's prototype is `Object.prototype` or none (and, when asked, no name is found there), so a
 * value other than `undefined` is an own property.
 */
type Fill = (record: Record<PropertyKey, unknown>, values: Array<unknown>, plain: boolean) => boolean

/**
 * Struct nodes, by their node, as makers of the same node building objects of a class's prototype: a class
 * (`plainConstructor`) decodes its fields straight into its instance. The node makes a plain object instead
 * when one of the `defaulted` keys is decoded as `undefined` or left out (the class's constructor then puts
 * its default in).
 */
const structOf = new WeakMap<Node, (prototype: object, defaulted: ReadonlyArray<PropertyKey>) => Node>()

/**
 * A struct node: a non-array object in, its properties decoded by `fill`, the object `objectBuilder` makes out
 * (plain; an instance of a class through `structOf`). `shortcut`: whether `plain` may be true for `fill`.
 */
const struct = (names: ReadonlyArray<PropertyKey>, shortcut: boolean, fill: Fill): Node => {
  const node =
    (build: Build): Node =>
    (input) => {
      if (typeof input !== "object" || input === null || Array.isArray(input)) return Fail
      const record = input as Record<PropertyKey, unknown>
      const values = new Array<unknown>(names.length)
      return fill(record, values, shortcut && isPlainObject(record)) ? build(values) : Fail
    }
  const plainBuild = objectBuilder(names, Object.prototype)
  const plain = node(plainBuild)
  structOf.set(plain, (prototype, defaulted) => {
    const build = objectBuilder(names, prototype)
    const indices = defaulted.map((key) => names.indexOf(key))
    return node((values) => {
      for (let i = 0; i < indices.length; i++) {
        const value = values[indices[i]]
        if (value === undefined || value === Absent) return plainBuild(values)
      }
      return build(values)
    })
  })
  return plain
}

/** The most shapes (sets of present keys) of one struct that get a template of their own. */
const maxShapes = 32

/**
 * Builds a struct's objects with the same own keys, in the same order, as assigning each present value in turn
 * (`{}` or `Object.create(prototype)`, then `object[name] = value`). Assigning keys one by one turns an object
 * of more than about 16 keys into a slow dictionary (V8 gives up on fast properties for keyed stores), and
 * `Object.assign` from one costs about 10 µs for a `Payment`. So each shape (the set of present keys, out of
 * up to 64) gets a template with fast properties, made once by `JSON.parse`; an object is a spread of its
 * template (one copy of its map), its values written over the template's, then its prototype set. Names that
 * are not plain strings, or found on `Object.prototype` (`__proto__` is a setter), and shapes past `maxShapes`
 * are assigned one by one.
 */
const objectBuilder = (names: ReadonlyArray<PropertyKey>, prototype: object): Build => {
  const n = names.length
  const assign: Build = (values) => {
    const object: Record<PropertyKey, unknown> = prototype === Object.prototype ? {} : Object.create(prototype)
    for (let i = 0; i < n; i++) if (values[i] !== Absent) object[names[i]] = values[i]
    return object
  }
  if (n > 64 || !names.every((name) => typeof name === "string" && !(name in Object.prototype))) return assign
  const shapes: Array<{ readonly low: number; readonly high: number; readonly template: object }> = []
  const template = (low: number, high: number): object => {
    const present = names.filter((_, i) => ((i < 32 ? low >>> i : high >>> (i - 32)) & 1) === 1)
    return JSON.parse(`{${present.map((name) => `${JSON.stringify(name)}:null`).join(",")}}`)
  }
  return (values) => {
    let low = 0
    let high = 0
    for (let i = 0; i < n; i++) {
      if (values[i] !== Absent) {
        if (i < 32) low |= 1 << i
        else high |= 1 << (i - 32)
      }
    }
    let shape: object | undefined
    for (let s = 0; s < shapes.length; s++) {
      if (shapes[s].low === low && shapes[s].high === high) {
        shape = shapes[s].template
        break
      }
    }
    if (shape === undefined) {
      if (shapes.length === maxShapes) return assign(values)
      shape = template(low, high)
      shapes.push({ low, high, template: shape })
    }
    const object: Record<PropertyKey, unknown> = { ...shape }
    for (let i = 0; i < n; i++) if (values[i] !== Absent) object[names[i] as string] = values[i]
    return prototype === Object.prototype ? object : Object.setPrototypeOf(object, prototype)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

const rightPrototype = Object.getPrototypeOf(Either.right(undefined))
const leftPrototype = Object.getPrototypeOf(Either.left(undefined))

/**
 * A transformation's or a declaration's result: its `Right` value, `Fail` for a `Left`; throws `unsure` for
 * anything else (an `Effect` Schema would run). By prototype: `Either.isEither` is a slower, megamorphic check.
 */
const rightOf = (result: unknown): unknown => {
  const prototype = Object.getPrototypeOf(result)
  if (prototype === rightPrototype) return (result as Either.Right<unknown, unknown>).right
  if (prototype === leftPrototype) return Fail
  if (!Either.isEither(result)) throw unsure
  return Either.isLeft(result) ? Fail : result.right
}

/** Whether one of the predicates holds, tried in order (a loop: no closure per call). */
const anyOf =
  (predicates: ReadonlyArray<(u: unknown) => boolean>) =>
  (u: unknown): boolean => {
    for (let i = 0; i < predicates.length; i++) {
      if (predicates[i](u)) return true
    }
    return false
  }

/**
 * On an object whose prototype is `Object.prototype` (or none), a key not found on `Object.prototype` that
 * reads as something other than `undefined` is an own property, so `hasOwnProperty` can be skipped.
 */
const isPlainObject = (record: object): boolean => {
  const proto = Object.getPrototypeOf(record)
  return proto === Object.prototype || proto === null
}

/** A type literal ParseResult decodes as plain property signatures (no index signatures, no annotation effect). */
const isPlainStruct = (ast: AST.AST): ast is AST.TypeLiteral =>
  AST.isTypeLiteral(ast) && ast.indexSignatures.length === 0 && !changesParsing(ast)

/**
 * Whether ParseResult's union search tree would index this member by a literal property (`getLiterals`):
 * such unions try members in another order than declared, so they are delegated.
 */
const hasLiterals = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration": {
      const surrogate = AST.getSurrogateAnnotation(ast)
      return Option.isSome(surrogate) && hasLiterals(surrogate.value)
    }
    case "TypeLiteral":
      return ast.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
    case "TupleType":
      return ast.elements.some((e) => !e.isOptional && AST.isLiteral(AST.encodedAST(e.type)))
    case "Refinement":
    case "Transformation":
      return hasLiterals(ast.from)
    case "Suspend":
      return true // not forced here: delegated
    default:
      return false
  }
}
