/**
 * Operations as data: a `Declaration` says where each request field goes (path, query, body), how the
 * request is encoded and how the answer is decoded; `operation` turns it into a function over the one
 * `IamportClient.request` pipeline. Every generated operation module is a list of such declarations.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { type IamportClient, request } from "../IamportClient.js"
import { type IamportError, IamportInvalidArgumentError } from "../IamportError.js"

/** An HTTP method of the API. */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/** One operation, as data. */
export interface Declaration<R, W, A, I> {
  readonly method: Method
  /** Path template exactly as in the spec, e.g. `/certifications/{imp_uid}`. */
  readonly path: string
  /** The spec's `operationId`. */
  readonly operationId: string
  /** Schema of the request fields (snake_case, as on the wire); encoded before sending. */
  readonly request: Schema.Schema<R, W>
  /** Schema of the envelope's `response`. */
  readonly response: Schema.Schema<A, I>
  /** Request fields that fill the path template. */
  readonly pathParams?: ReadonlyArray<string>
  /** Request fields sent as query parameters: field name -> wire name (`customer_uid` -> `customer_uid[]`). */
  readonly query?: Readonly<Record<string, string>>
  /** Request fields sent in the JSON body. */
  readonly body?: ReadonlyArray<string>
  /** Safe to retry on a transient failure. Defaults to `true` for GET, `false` otherwise (charges never are). */
  readonly idempotent?: boolean
}

/** A declared operation: a function of its request, carrying its declaration. */
export type Operation<R, A> = ({} extends R
  ? (input?: R) => Effect.Effect<A, IamportError, IamportClient>
  : (input: R) => Effect.Effect<A, IamportError, IamportClient>) & {
  readonly declaration: Declaration<R, unknown, A, unknown>
}

type QueryEntry = readonly [string, string]

const scalar = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : JSON.stringify(value)

const queryEntries = (name: string, value: unknown): ReadonlyArray<QueryEntry> => {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.map((item) => [name, scalar(item)] as const)
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      queryEntries(`${name}[${key}]`, item)
    )
  }
  return [[name, scalar(value)]]
}

/**
 * Builds an operation from its declaration. The request is encoded with its schema (a value that does not
 * fit fails with `IamportInvalidArgumentError` before anything is sent), split into path, query and body,
 * and sent through `IamportClient.request`.
 */
export const operation = <R, W, A, I>(declaration: Declaration<R, W, A, I>): Operation<R, A> => {
  const endpoint = `${declaration.method} ${declaration.path}`
  const encode = Schema.encodeEither(declaration.request)
  const run = (input?: R): Effect.Effect<A, IamportError, IamportClient> => {
    const encoded = encode((input ?? {}) as R)
    if (Either.isLeft(encoded)) {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(encoded.left)[0]
      return Effect.fail(
        new IamportInvalidArgumentError({
          endpoint,
          argument: issue === undefined || issue.path.length === 0 ? "request" : issue.path.join("."),
          // not the schema's message: it quotes the value, which may be card data
          issue: issue?._tag === "Missing" ? "is missing" : "does not have the expected type or format"
        })
      )
    }
    const wire = encoded.right as Record<string, unknown>
    const pathParams: Record<string, string> = {}
    for (const name of declaration.pathParams ?? []) {
      const value = wire[name]
      if (value !== undefined && value !== null) pathParams[name] = scalar(value)
    }
    const urlParams = Object.entries(declaration.query ?? {}).flatMap(([field, name]) =>
      queryEntries(name, wire[field])
    )
    let body: Record<string, unknown> | undefined
    if (declaration.body !== undefined && declaration.body.length > 0) {
      body = {}
      for (const name of declaration.body) if (wire[name] !== undefined) body[name] = wire[name]
    }
    return request({
      method: declaration.method,
      path: declaration.path,
      pathParams,
      ...(urlParams.length > 0 ? { urlParams } : {}),
      ...(body !== undefined ? { body } : {}),
      response: declaration.response,
      ...(declaration.idempotent !== undefined ? { idempotent: declaration.idempotent } : {})
    })
  }
  return Object.assign(run, { declaration }) as unknown as Operation<R, A>
}

/**
 * What a bulk operation answered 200 or 207 (Multi-Status) with: the items it found or processed, and the
 * requested ids that are missing from the answer.
 *
 * @since 0.2.0
 */
export interface MultiStatus<A> {
  readonly found: ReadonlyArray<A>
  readonly missing: ReadonlyArray<string>
}

/**
 * Wraps a list operation answered with 207 when some ids fail: the ids asked for in `requestField` that no
 * item carries in `itemField` are reported as `missing`. With `notFoundIsEmpty`, a 404 (no id found at all)
 * is an empty result rather than a failure.
 */
export const multiStatus = <R, A>(
  op: Operation<R, ReadonlyArray<A>>,
  requestField: keyof R & string,
  itemField: keyof A & string,
  options: { readonly notFoundIsEmpty?: boolean } = {}
): Operation<R, MultiStatus<A>> => {
  const run = (input?: R): Effect.Effect<MultiStatus<A>, IamportError, IamportClient> => {
    const requested = ((input as Record<string, unknown> | undefined)?.[requestField] ?? []) as ReadonlyArray<string>
    const call = (op as (input?: R) => Effect.Effect<ReadonlyArray<A>, IamportError, IamportClient>)(input)
    const answered = options.notFoundIsEmpty
      ? Effect.catchTag(call, "IamportNotFoundError", () => Effect.succeed([] as ReadonlyArray<A>))
      : call
    return Effect.map(answered, (found) => {
      const ids = new Set(found.map((item) => String((item as Record<string, unknown>)[itemField])))
      return { found, missing: requested.filter((id) => !ids.has(id)) }
    })
  }
  return Object.assign(run, { declaration: op.declaration }) as unknown as Operation<R, MultiStatus<A>>
}

/** A page of a paged list: its items and the next page number (`Option.none()` on the last page). */
export interface Page<A> {
  readonly list: ReadonlyArray<A>
  readonly next: Option.Option<number>
}

/** Every item of a paged list operation, walking all pages from `input.page` (default 1). */
export const paginate =
  <R extends { readonly page?: number | undefined }, P extends Page<unknown>>(op: Operation<R, P>) =>
  (input: R): Stream.Stream<P["list"][number], IamportError, IamportClient> =>
    Stream.paginateChunkEffect(input.page ?? 1, (page) =>
      Effect.map(
        (op as unknown as (input: R) => Effect.Effect<P, IamportError, IamportClient>)({ ...input, page }),
        (result) => [Chunk.fromIterable(result.list as ReadonlyArray<P["list"][number]>), result.next] as const
      )
    )

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
