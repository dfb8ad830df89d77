/**
 * Operations as data: a `Declaration` says where each request field goes (path, query, body), how the
 * request is encoded and how the answer is decoded; `operation` turns it into a function over the one
 * `IamportClient.request` pipeline. Every generated operation module is a list of such declarations. The
 * types (`Operation`, `Declaration`, `MultiStatus`, `Page`) are public, in `Operation.ts`.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { type IamportClient, request } from "../IamportClient.js"
import { type IamportError, IamportInvalidArgumentError } from "../IamportError.js"
import type { Declaration, MultiStatus, Operation, Page } from "../Operation.js"

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
 * Wraps a list operation answered with 207 when some ids fail. `fields` maps each request field of ids to the
 * item field that carries the id (`{ imp_uid: "imp_uid", merchant_uid: "merchant_uid" }`): the ids asked for
 * that no item carries are reported in `missing`, under their request field. With `notFoundIsEmpty`, a 404 (no
 * id found at all) is an empty result rather than a failure.
 */
export const multiStatus = <R, A, K extends keyof R & string>(
  op: Operation<R, ReadonlyArray<A>>,
  fields: { readonly [F in K]: keyof A & string },
  options: { readonly notFoundIsEmpty?: boolean } = {}
): Operation<R, MultiStatus<A, K>> => {
  const run = (input?: R): Effect.Effect<MultiStatus<A, K>, IamportError, IamportClient> => {
    const call = (op as (input?: R) => Effect.Effect<ReadonlyArray<A>, IamportError, IamportClient>)(input)
    const answered = options.notFoundIsEmpty
      ? Effect.catchTag(call, "IamportNotFoundError", () => Effect.succeed([] as ReadonlyArray<A>))
      : call
    return Effect.map(answered, (found) => {
      const missing = {} as Record<K, ReadonlyArray<string>>
      for (const field of Object.keys(fields) as Array<K>) {
        const requested = ((input as Record<string, unknown> | undefined)?.[field] ?? []) as ReadonlyArray<string>
        const ids = new Set(found.map((item) => String((item as Record<string, unknown>)[fields[field]])))
        missing[field] = requested.filter((id) => !ids.has(id))
      }
      return { found, missing }
    })
  }
  return Object.assign(run, { declaration: op.declaration }) as unknown as Operation<R, MultiStatus<A, K>>
}

/** The largest page the API serves (`limit` up to 1000 on every paged list); streams ask for it. */
export const maxPageSize = 1000

/**
 * Every item of a paged list operation, walking all pages from `input.page` (default 1). When the operation
 * takes a `limit` and `input` gives none, each page is the largest the API serves (`maxPageSize`), not its
 * default of 20: 2,500 payments are 3 requests, not 125.
 */
export const paginate = <R extends { readonly page?: number | undefined }, P extends Page<unknown>>(
  op: Operation<R, P>
) => {
  const limited = op.declaration.query !== undefined && "limit" in op.declaration.query
  return (input: R): Stream.Stream<P["list"][number], IamportError, IamportClient> => {
    const request =
      limited && (input as { readonly limit?: number | undefined }).limit === undefined
        ? { ...input, limit: maxPageSize }
        : input
    return Stream.paginateChunkEffect(input.page ?? 1, (page) =>
      Effect.map(
        (op as unknown as (input: R) => Effect.Effect<P, IamportError, IamportClient>)({ ...request, page }),
        (result) => [Chunk.fromIterable(result.list as ReadonlyArray<P["list"][number]>), result.next] as const
      )
    )
  }
}
