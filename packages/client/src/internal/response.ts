import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  IamportApiError,
  IamportDecodeError,
  IamportNotFoundError,
  IamportTransportError,
  isTransientStatus
} from "../IamportError.js"
import { Fail, fastDecoder } from "./fastDecode.js"

/** An envelope's parts, once the body was JSON of the right shape. */
export interface Envelope {
  readonly code: number
  readonly apiMessage: string | undefined
  readonly response: unknown
}

/** The failure an answer that is not a usable envelope stands for. */
export type EnvelopeFailure = IamportNotFoundError | IamportApiError | IamportTransportError | IamportDecodeError

const MAX_ISSUE = 300

/**
 * Reads an answer's status and body as the API's envelope. HTTP 404 is "not
 * found"; a 5xx to a `write` is a server error that may have been processed,
 * whatever the body; otherwise `code != 0` is an API failure whatever the
 * status, a 5xx without an envelope is a server error that may have been
 * processed, a 429 or 408 one a transient refusal, and anything else that is
 * not an envelope is a decode error.
 *
 * @internal
 */
export const readEnvelope = (
  endpoint: string,
  status: number,
  body: string,
  write = false
): Either.Either<Envelope, EnvelopeFailure> => {
  const envelope = parseEnvelope(body)
  if (status === 404) {
    return Either.left(
      new IamportNotFoundError({
        endpoint,
        ...(envelope ? { code: envelope.code } : {}),
        ...(envelope?.apiMessage ? { apiMessage: envelope.apiMessage } : {})
      })
    )
  }
  if (envelope === undefined) {
    return Either.left(
      isTransientStatus(status)
        ? new IamportTransportError({
            endpoint,
            reason: "ServerError",
            status,
            // a rate limit or a request timeout rejects the request before it is processed
            mayHaveBeenProcessed: status >= 500,
            description: describeBody(body)
          })
        : new IamportDecodeError({ endpoint, status, issue: `not an i'mport envelope: ${describeBody(body)}` })
    )
  }
  if (envelope.code !== 0) {
    if (write && status >= 500) {
      // not a verdict on the request: the server may have acted on it before failing
      return Either.left(
        new IamportTransportError({
          endpoint,
          reason: "ServerError",
          status,
          mayHaveBeenProcessed: true,
          description: `code ${envelope.code}${envelope.apiMessage ? `: ${short(envelope.apiMessage)}` : ""}`
        })
      )
    }
    return Either.left(
      new IamportApiError({
        endpoint,
        status,
        code: envelope.code,
        ...(envelope.apiMessage ? { apiMessage: envelope.apiMessage } : {})
      })
    )
  }
  if (status < 200 || status >= 300) {
    return Either.left(
      status >= 500
        ? new IamportTransportError({ endpoint, reason: "ServerError", status, mayHaveBeenProcessed: true })
        : new IamportDecodeError({ endpoint, status, issue: "code 0 with an error status" })
    )
  }
  return Either.right(envelope)
}

/**
 * Decodes an envelope's `response` with the operation's schema.
 * `redactValues` leaves the values out of the issue (for answers that carry
 * secrets, such as an access token).
 *
 * The compiled fast path (`fastDecode.ts`) is tried first unless `fast` is `false`; whatever it refuses is
 * decoded by Schema, so the value and any error are Schema's.
 *
 * @internal
 */
export const decodeResponse = <A, I>(
  endpoint: string,
  status: number,
  envelope: Envelope,
  schema: Schema.Schema<A, I>,
  options?: { readonly redactValues?: boolean; readonly fast?: boolean }
): Either.Either<A, IamportDecodeError> => {
  if (options?.fast !== false) {
    const fast = fastDecoder(schema)(envelope.response)
    if (fast !== Fail) return Either.right(fast)
  }
  const decoded = Schema.decodeUnknownEither(schema)(envelope.response, { onExcessProperty: "ignore" })
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  const issue = options?.redactValues
    ? `response does not match at ${ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
        .map((i) => (i.path.length === 0 ? "(root)" : i.path.join(".")))
        .join(", ")}`
    : `response does not match: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`
  return Either.left(new IamportDecodeError({ endpoint, status, issue: truncate(issue) }))
}

const parseEnvelope = (body: string): Envelope | undefined => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined
  const { code, message, response } = json as { code?: unknown; message?: unknown; response?: unknown }
  if (typeof code !== "number") return undefined
  if (message !== undefined && message !== null && typeof message !== "string") return undefined
  return { code, apiMessage: message ?? undefined, response }
}

const describeBody = (body: string): string => {
  const trimmed = body.trimStart()
  if (trimmed.length === 0) return "empty body"
  if (trimmed.startsWith("<")) return "an HTML page"
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return "JSON that is invalid or not an envelope"
  return "a non-JSON body"
}

const short = (s: string): string => (s.length > MAX_ISSUE ? `${s.slice(0, MAX_ISSUE)}…` : s)

const truncate = (s: string): string => (s.length > MAX_ISSUE * 4 ? `${s.slice(0, MAX_ISSUE * 4)}…` : s)
