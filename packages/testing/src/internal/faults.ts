/**
 * Fault injection: a queue of faults, each applying to the next `count`
 * requests whose normalized path starts with `route` (admin routes excepted).
 *
 * @internal
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Api from "../IamportEmulator.js"
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
      return typeof message === "string" ? Fault.Status({ status, message }) : Fault.Status({ status })
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

/** Responses standing for a dropped connection (see `Fault.Drop`). */
export const droppedResponses = new WeakSet<HttpServerResponse.HttpServerResponse>()

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

const HTML_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`

/** The socket of a request served by a real server (none in process). */
const socketOf = (request: HttpServerRequest.HttpServerRequest) =>
  (request as unknown as { source?: { socket?: { destroy?: () => void; end?: () => void } } }).source?.socket

/**
 * The answer a fault gives in place of the API's; `undefined` for the faults that let the request be processed
 * (`Delay` holds the answer back afterwards, `CutBody` and `WrongContentType` change it: see `reshape`). `Drop`
 * destroys the socket of a real server.
 */
export const answer = (
  fault: Fault,
  request: HttpServerRequest.HttpServerRequest,
  unauthorized: () => HttpServerResponse.HttpServerResponse
): Effect.Effect<HttpServerResponse.HttpServerResponse | undefined> => {
  switch (fault._tag) {
    case "Delay":
    case "CutBody":
    case "WrongContentType":
      return Effect.succeed(undefined)
    case "Status":
      return Effect.succeed(
        Wire.failure(fault.status, -1, fault.message ?? STATUS_TEXT[fault.status] ?? `HTTP ${fault.status}`)
      )
    case "Html502":
      return Effect.succeed(HttpServerResponse.text(HTML_502, { status: 502, contentType: "text/html; charset=utf-8" }))
    case "MalformedJson":
      return Effect.succeed(
        HttpServerResponse.text(`{"code":0,"message":null,"response":{"imp_uid":"imp_`, {
          status: 200,
          contentType: Wire.JSON_CONTENT_TYPE
        })
      )
    case "Unauthorized":
      return Effect.succeed(unauthorized())
    case "Drop":
      return Effect.sync(() => {
        // Real server: kill the socket. In-process: the client sees the marker.
        socketOf(request)?.destroy?.()
        const response = HttpServerResponse.empty({ status: 599 })
        droppedResponses.add(response)
        return response
      })
  }
}

/** Raised in the body of a `CutBody` answer served in process, where no socket can be cut. */
class ConnectionCut extends Data.TaggedError("ConnectionCut")<{}> {}

/**
 * The API's answer as a fault that lets the request through changes it: `CutBody` announces the whole length,
 * sends half, then ends the connection (in process: the body fails); `WrongContentType` relabels it.
 */
export const reshape = (
  fault: Fault,
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  if (response.body._tag !== "Uint8Array") return response
  if (fault._tag === "WrongContentType") {
    // the body's own type wins over a header: relabel the body
    const contentType = fault.contentType ?? "text/html; charset=utf-8"
    return HttpServerResponse.setBody(response, HttpBody.uint8Array(response.body.body, contentType))
  }
  if (fault._tag !== "CutBody") return response
  const bytes = response.body.body
  const cut = Stream.fromEffect(
    Effect.suspend(() => {
      const socket = socketOf(request)
      if (socket?.end === undefined) return Effect.fail(new ConnectionCut())
      socket.end()
      return Effect.void
    })
  )
  return HttpServerResponse.stream(
    Stream.concat(Stream.succeed(bytes.slice(0, bytes.length >> 1)), Stream.drain(cut)),
    {
      status: response.status,
      headers: response.headers,
      contentLength: bytes.length
    }
  )
}
