/**
 * Wire helpers: envelopes, path splitting, PHP-style parameter parsing and
 * body decoding.
 *
 * @internal
 */
import type { Incoming, Reply } from "./exchange.js"

/** The headers of a JSON answer: the exact content type the real API sends (shared, never mutated). */
export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "application/json; charset=utf-8"
})

/** A JSON answer, already encoded. */
export const jsonText = (status: number, body: string): Reply => ({ status, headers: JSON_HEADERS, body })

/** A JSON answer. */
export const jsonResponse = (status: number, body: unknown): Reply => jsonText(status, JSON.stringify(body))

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
  if (!segment.includes("%")) return segment
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
  if (text === "") return result
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

/** Whether `text` is at most `limit` bytes in UTF-8 (counted only when it could be over). */
export const fitsIn = (text: string, limit: number): boolean =>
  text.length * 3 <= limit || (text.length <= limit && Buffer.byteLength(text, "utf8") <= limit)

/**
 * A body's parameters. JSON (`application/json`) and form
 * (`application/x-www-form-urlencoded`) are supported; without a content type
 * the body is sniffed (`{` means JSON).
 */
const parseParams = (text: string, contentType: string): Params | BodyError => {
  const trimmed = text.trim()
  const isJson =
    contentType.includes("json") ||
    (!contentType.includes("x-www-form-urlencoded") && (trimmed.startsWith("{") || trimmed.startsWith("[")))
  if (!isJson) return parseUrlEncoded(text)
  if (trimmed === "") return newObject()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return "InvalidJson"
  }
  if (value === null) return newObject()
  if (typeof value !== "object" || Array.isArray(value)) return "NotAnObject"
  return value as Params
}

/** The body's parameters (none for `GET` and `HEAD`), or why it cannot be read (a string). */
export const readBody = (request: Incoming, limit: number): Params | BodyError => {
  if (request.method === "GET" || request.method === "HEAD") return {}
  if (request.bodyError !== undefined) return request.bodyError
  if (!fitsIn(request.body, limit)) return "TooLarge"
  return parseParams(request.body, (request.headers["content-type"] ?? "").toLowerCase())
}

/** The answer to a body that could not be read: 413 when too large, else 400 (nothing is done). */
export const bodyErrorResponse = (error: BodyError) =>
  error === "TooLarge"
    ? failure(413, -1, MSG.tooLarge)
    : failure(400, -1, error === "Aborted" ? MSG.aborted : MSG.invalidJson)
