/**
 * The shape of every operation of the API areas (`Subscribe.again`, `BillingKeys.get`, ...): a function of
 * its request that carries its declaration, and the results of the two kinds of operation that answer more
 * than one item (multi-status look-ups and paged lists).
 *
 * Naming: an operation that mirrors an endpoint takes a request object with the wire's field names
 * (`customer_uid`, `merchant_uid`), as the i'mport documentation spells them; library helpers (verification,
 * webhooks, streams, options) take camelCase.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { IamportClient } from "./IamportClient.js"
import type { IamportError } from "./IamportError.js"

/**
 * An HTTP method of the API.
 *
 * @category models
 * @since 0.2.0
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/**
 * One operation, as data: where each request field goes (path, query, body), how the request is encoded and
 * how the answer is decoded.
 *
 * @category models
 * @since 0.2.0
 * @example
 * ```ts
 * import { Subscribe } from "@effect-iamport/client"
 *
 * const { method, path } = Subscribe.again.declaration // "POST", "/subscribe/payments/again"
 * ```
 */
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

/**
 * A declared operation: a function of its request (optional when every field is), carrying its declaration.
 * It requires `IamportClient` and fails with an `IamportError`.
 *
 * @category models
 * @since 0.2.0
 * @example
 * ```ts
 * import { Certifications } from "@effect-iamport/client"
 *
 * const certification = Certifications.get({ imp_uid: "imp_123456789012" })
 * ```
 */
export type Operation<R, A> = ({} extends R
  ? (input?: R) => Effect.Effect<A, IamportError, IamportClient>
  : (input: R) => Effect.Effect<A, IamportError, IamportClient>) & {
  readonly declaration: Declaration<R, unknown, A, unknown>
}

/**
 * What a look-up of several ids answered (200, or 207 Multi-Status when some ids fail): the items found,
 * and, for each request field of ids (`customer_uid`, `imp_uid`, ...), the ids asked for that no item
 * carries.
 *
 * @category models
 * @since 0.2.0
 * @example
 * ```ts
 * import { BillingKeys } from "@effect-iamport/client"
 * import { Effect } from "effect"
 *
 * const unknownKeys = BillingKeys.getMany({ customer_uid: ["c-1", "c-2"] }).pipe(
 *   Effect.map((result) => result.missing.customer_uid)
 * )
 * ```
 */
export interface MultiStatus<A, K extends string = string> {
  readonly found: ReadonlyArray<A>
  readonly missing: { readonly [F in K]: ReadonlyArray<string> }
}

/**
 * A page of a paged list: its items and the next page number (`Option.none()` on the last page).
 *
 * @category models
 * @since 0.2.0
 */
export interface Page<A> {
  readonly list: ReadonlyArray<A>
  readonly next: Option.Option<number>
}
