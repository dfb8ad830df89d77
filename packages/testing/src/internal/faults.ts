/**
 * Fault injection: a queue of faults, each applying to the next `count`
 * requests whose normalized path starts with `route` (admin routes excepted).
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as Api from "../IamportEmulator.js"
import type { Reply } from "./exchange.js"
import * as Wire from "./wire.js"

export type Fault = Api.Fault
export type FaultOptions = Api.FaultOptions

/** Constructors: `Fault.Status({ status: 503 })`, `Fault.Drop()`, ... */
export const Fault: Data.TaggedEnum.Constructor<Fault> = Data.taggedEnum<Fault>()

interface Entry {
  readonly fault: Fault
  remaining: number
  readonly route: string | undefined
}

export interface FaultQueue {
  readonly add: (fault: Fault, options?: FaultOptions) => void
  /** Takes (and consumes one use of) the first fault matching the path. */
  readonly take: (normalizedPath: string) => Fault | undefined
  readonly clear: () => void
  readonly pending: () => number
}

const normalizePrefix = (route: string): string => {
  const segments = route.split("/").filter((s) => s !== "")
  return "/" + segments.join("/")
}

const matches = (prefix: string, path: string): boolean => prefix === "/" || path.startsWith(prefix)

export const make = (): FaultQueue => {
  let entries: Array<Entry> = []
  return {
    add: (fault, options) => {
      const count = options?.count ?? 1
      if (!(count > 0)) return
      entries.push({
        fault,
        remaining: Math.floor(count),
        route: options?.route === undefined ? undefined : normalizePrefix(options.route)
      })
    },
    take: (path) => {
      for (const entry of entries) {
        if (entry.remaining > 0 && (entry.route === undefined || matches(entry.route, path))) {
          entry.remaining -= 1
          if (entry.remaining <= 0) entries = entries.filter((e) => e !== entry)
          return entry.fault
        }
      }
      return undefined
    },
    clear: () => {
      entries = []
    },
    pending: () => entries.reduce((n, e) => n + e.remaining, 0)
  }
}

const STATUSES = new Set([
  "Status",
  "Html502",
  "Delay",
  "Drop",
  "MalformedJson",
  "Unauthorized",
  "CutBody",
  "WrongContentType"
])

/** A `Retry-After` value: whole seconds, or a text a header can carry (an HTTP date). */
const isRetryAfter = (value: unknown): value is number | string =>
  typeof value === "number"
    ? Number.isInteger(value) && value >= 0
    : typeof value === "string" && /^[\x20-\x7e]+$/.test(value)

/** Decodes a fault from admin-route JSON; `undefined` when invalid. */
export const fromJson = (input: unknown): Fault | undefined => {
  if (typeof input !== "object" || input === null) return undefined
  const tag = (input as { _tag?: unknown })._tag
  if (typeof tag !== "string" || !STATUSES.has(tag)) return undefined
  switch (tag) {
    case "Status": {
      const status = Number((input as { status?: unknown }).status)
      if (!Number.isInteger(status) || status < 100 || status > 599) return undefined
      const message = (input as { message?: unknown }).message
      const retryAfter = (input as { retryAfter?: unknown }).retryAfter
      if (retryAfter !== undefined && !isRetryAfter(retryAfter)) return undefined
      return Fault.Status({
        status,
        ...(typeof message === "string" ? { message } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {})
      })
    }
    case "Delay": {
      // milliseconds or a duration string such as "5 seconds"; anything else, or an infinite delay, is refused
      const duration = Duration.decodeUnknown((input as { duration?: unknown }).duration)
      return Option.isSome(duration) && Duration.isFinite(duration.value)
        ? Fault.Delay({ duration: duration.value })
        : undefined
    }
    case "Html502":
      return Fault.Html502()
    case "Drop":
      return Fault.Drop()
    case "MalformedJson":
      return Fault.MalformedJson()
    case "CutBody":
      return Fault.CutBody()
    case "WrongContentType": {
      const contentType = (input as { contentType?: unknown }).contentType
      if (contentType === undefined) return Fault.WrongContentType({})
      return typeof contentType === "string" ? Fault.WrongContentType({ contentType }) : undefined
    }
    default:
      return Fault.Unauthorized()
  }
}

// ---------------------------------------------------------------------------
// What a fault answers
// ---------------------------------------------------------------------------

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

const HTML_502: Reply = {
  status: 502,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`
}

const MALFORMED_JSON: Reply = {
  status: 200,
  headers: Wire.JSON_HEADERS,
  body: `{"code":0,"message":null,"response":{"imp_uid":"imp_`
}

/** No answer: the connection is dropped (recorded with status 0). */
const DROPPED: Reply = { status: 0, headers: Wire.JSON_HEADERS, body: "", connection: "Drop" }

/** A `Status` fault's envelope, with its `Retry-After` when it has one. */
const statusReply = (fault: Extract<Fault, { readonly _tag: "Status" }>): Reply => {
  const reply = Wire.failure(fault.status, -1, fault.message ?? STATUS_TEXT[fault.status] ?? `HTTP ${fault.status}`)
  return fault.retryAfter === undefined
    ? reply
    : { ...reply, headers: { ...reply.headers, "retry-after": String(fault.retryAfter) } }
}

/**
 * The answer a fault gives in place of the API's; `undefined` for the faults that let the request be processed
 * (`Delay`, `CutBody` and `WrongContentType`: see `reshape`).
 */
export const answer = (fault: Fault, unauthorized: () => Reply): Reply | undefined => {
  switch (fault._tag) {
    case "Delay":
    case "CutBody":
    case "WrongContentType":
      return undefined
    case "Status":
      return statusReply(fault)
    case "Html502":
      return HTML_502
    case "MalformedJson":
      return MALFORMED_JSON
    case "Unauthorized":
      return unauthorized()
    case "Drop":
      return DROPPED
  }
}

/**
 * The API's answer as a fault that lets the request through changes it: `Delay` holds it back, `CutBody` cuts
 * the connection mid-body, `WrongContentType` relabels it.
 */
export const reshape = (fault: Fault, reply: Reply): Reply => {
  switch (fault._tag) {
    case "Delay":
      return { ...reply, delay: Duration.decode(fault.duration) }
    case "CutBody":
      return { ...reply, connection: "Cut" }
    case "WrongContentType":
      return {
        ...reply,
        headers: { ...reply.headers, "content-type": fault.contentType ?? "text/html; charset=utf-8" }
      }
    default:
      return reply
  }
}
