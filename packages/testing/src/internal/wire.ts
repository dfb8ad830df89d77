/**
 * Wire helpers: envelopes, path splitting, PHP-style parameter parsing and
 * size-limited body reading.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8"

/** A JSON answer with the exact content type the real API sends. */
export const jsonResponse = (status: number, body: unknown): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(body), { status, contentType: JSON_CONTENT_TYPE })

/** `{code: 0, message: null, response}` */
export const ok = (response: unknown, status = 200) => jsonResponse(status, { code: 0, message: null, response })

/** `{code, message, response: null}` */
export const failure = (status: number, code: number, message: string) =>
  jsonResponse(status, { code, message, response: null })

/** The messages of the answers to requests the API cannot route or read. */
export const MSG = {
  notFound: "요청하신 API를 찾을 수 없습니다.",
  methodNotAllowed: "허용되지 않는 HTTP METHOD입니다.",
  tooLarge: "요청 본문이 너무 큽니다.",
  invalidJson: "요청 본문의 JSON 형식이 올바르지 않습니다.",
  badEncoding: "요청 경로의 인코딩이 올바르지 않습니다.",
  aborted: "요청 본문을 끝까지 받지 못했습니다."
} as const

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

export interface ParsedTarget {
  /** Raw path (no query, no fragment). */
  readonly rawPath: string
  /** Raw query (no `?`). */
  readonly rawQuery: string
  /** Raw (still percent-encoded) non-empty segments. */
  readonly rawSegments: ReadonlyArray<string>
  /** Normalized path: `/` + raw segments joined (double and trailing slashes removed). */
  readonly normalizedPath: string
}

export const parseTarget = (url: string): ParsedTarget => {
  let target = url
  // absolute-form request targets
  if (!target.startsWith("/")) {
    const scheme = target.indexOf("://")
    if (scheme !== -1) {
      const slash = target.indexOf("/", scheme + 3)
      target = slash === -1 ? "/" : target.slice(slash)
    }
  }
  const hash = target.indexOf("#")
  if (hash !== -1) target = target.slice(0, hash)
  const q = target.indexOf("?")
  const rawPath = q === -1 ? target : target.slice(0, q)
  const rawQuery = q === -1 ? "" : target.slice(q + 1)
  const rawSegments = rawPath.split("/").filter((s) => s !== "")
  return { rawPath, rawQuery, rawSegments, normalizedPath: "/" + rawSegments.join("/") }
}

/** Percent-decodes one segment; `undefined` when the encoding is malformed. */
export const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------
// PHP-style parameters: a[]=1&a[]=2, extra[requester]=x
// ---------------------------------------------------------------------------

export type Params = Record<string, unknown>

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"])

const newObject = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>

const setPhp = (target: Params, key: string, value: string): void => {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key)
  if (match === null) {
    if (!FORBIDDEN.has(key)) target[key] = value
    return
  }
  const path = [match[1]!, ...Array.from(match[2]!.matchAll(/\[([^[\]]*)\]/g), (m) => m[1]!)]
  if (path.some((p) => FORBIDDEN.has(p))) return
  let current: Record<string, unknown> | Array<unknown> = target
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!
    const last = i === path.length - 1
    if (last) {
      if (Array.isArray(current) && segment === "") current.push(value)
      else (current as Record<string, unknown>)[segment] = value
      return
    }
    const nextIsPush = path[i + 1] === ""
    if (Array.isArray(current) && segment === "") {
      const child = nextIsPush ? [] : newObject()
      current.push(child)
      current = child
      continue
    }
    const container = current as Record<string, unknown>
    let child = container[segment]
    if (typeof child !== "object" || child === null) {
      child = nextIsPush ? [] : newObject()
      container[segment] = child
    } else if (nextIsPush && !Array.isArray(child)) {
      child = Object.values(child as object)
      container[segment] = child
    }
    current = child as Record<string, unknown> | Array<unknown>
  }
}

/** Parses `application/x-www-form-urlencoded` text (or a query string) PHP-style. */
export const parseUrlEncoded = (text: string): Params => {
  const result = newObject()
  const search = new URLSearchParams(text)
  for (const [key, value] of search) setPhp(result, key, value)
  return result
}

/** Reads a parameter as a list of strings: accepts `x[]`, `x[0]`, repeated `x` or a JSON array. */
export const stringList = (value: unknown): ReadonlyArray<string> => {
  if (value === undefined || value === null) return []
  if (Array.isArray(value))
    return value.filter((v): v is string | number => typeof v === "string" || typeof v === "number").map(String)
  if (typeof value === "object") return stringList(Object.values(value))
  if (typeof value === "string" || typeof value === "number") return [String(value)]
  return []
}

/** A non-empty string parameter (numbers are accepted and stringified). */
export const stringParam = (value: unknown): string | undefined => {
  if (typeof value === "string") return value === "" ? undefined : value
  if (typeof value === "number" && Number.isFinite(value)) return String(value)
  return undefined
}

/**
 * A numeric parameter: `undefined` when absent/blank/null, `NaN` when present but not a number.
 */
export const numberParam = (value: unknown): number | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value === "number") return value
  if (typeof value === "string") {
    if (value.trim() === "") return undefined
    const n = Number(value)
    return Number.isFinite(n) ? n : Number.NaN
  }
  return Number.NaN
}

export const booleanParam = (value: unknown): boolean | undefined => {
  if (typeof value === "boolean") return value
  if (typeof value === "number") return value !== 0
  if (typeof value === "string") {
    const v = value.toLowerCase()
    if (v === "true" || v === "1") return true
    if (v === "false" || v === "0" || v === "") return false
  }
  return undefined
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

/** `Aborted`: the body stream failed (the client went away mid-body); what arrived is not a whole body. */
export type BodyError = "TooLarge" | "InvalidJson" | "NotAnObject" | "Aborted"

const DRAIN_LIMIT = 64 * 1024 * 1024

const readBytes = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Uint8Array, "TooLarge" | "Aborted"> => {
  const declared = Number(request.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) return Effect.fail("TooLarge" as const)
  // no body at all: a zero length, or a web `Request` without one (its stream would fail, which is no abort)
  if (declared === 0 || (request.source as { readonly body?: unknown }).body === null) {
    return Effect.succeed(new Uint8Array(0))
  }
  // Past the limit keep draining (up to DRAIN_LIMIT) and discard, so a client still
  // writing its body receives the 413 instead of a connection reset.
  return request.stream.pipe(
    Stream.mapError(() => "Aborted" as const),
    Stream.runFoldWhile(
      { size: 0, parts: [] as Array<Uint8Array> },
      (state) => state.size <= DRAIN_LIMIT,
      (state, chunk: Uint8Array) => {
        const size = state.size + chunk.length
        if (size <= limit) state.parts.push(chunk)
        return { size, parts: state.parts }
      }
    ),
    Effect.flatMap(({ parts, size }) => {
      if (size > limit) return Effect.fail("TooLarge" as const)
      const out = new Uint8Array(size)
      let offset = 0
      for (const part of parts) {
        out.set(part, offset)
        offset += part.length
      }
      return Effect.succeed(out)
    })
  )
}

/**
 * Reads the body as parameters. JSON (`application/json`) and form
 * (`application/x-www-form-urlencoded`) are supported; without a content type
 * the body is sniffed (`{` means JSON).
 */
export const readParams = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Params, BodyError> =>
  Effect.flatMap(readBytes(request, limit), (bytes) => {
    const text = new TextDecoder().decode(bytes)
    const contentType = (request.headers["content-type"] ?? "").toLowerCase()
    const trimmed = text.trim()
    const isJson =
      contentType.includes("json") ||
      (!contentType.includes("x-www-form-urlencoded") && (trimmed.startsWith("{") || trimmed.startsWith("[")))
    if (!isJson) return Effect.succeed(parseUrlEncoded(text))
    if (trimmed === "") return Effect.succeed(newObject())
    const parsed = Either.try(() => JSON.parse(text) as unknown)
    if (Either.isLeft(parsed)) return Effect.fail("InvalidJson" as const)
    const value = parsed.right
    if (value === null) return Effect.succeed(newObject())
    if (typeof value !== "object" || Array.isArray(value)) return Effect.fail("NotAnObject" as const)
    return Effect.succeed(value as Params)
  })

/** The body's parameters; none for `GET` and `HEAD`. */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Params, BodyError> =>
  request.method === "GET" || request.method === "HEAD" ? Effect.succeed<Params>({}) : readParams(request, limit)

/** The answer to a body that could not be read: 413 when too large, else 400 (nothing is done). */
export const bodyErrorResponse = (error: BodyError) =>
  error === "TooLarge"
    ? failure(413, -1, MSG.tooLarge)
    : failure(400, -1, error === "Aborted" ? MSG.aborted : MSG.invalidJson)
