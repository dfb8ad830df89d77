/**
 * Fault injection: a queue of faults, each applying to the next `count`
 * requests whose normalized path starts with `route` (admin routes excepted).
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

/**
 * A failure the emulator can simulate on the next matching request(s).
 *
 * - `Status`: answer with that HTTP status and an error envelope (`code: -1`).
 * - `Html502`: a 502 HTML page (`text/html`), as a load balancer would send.
 * - `Delay`: process the request, then hold the answer back (Effect `sleep`, so `TestClock` drives it): a
 *   client that times out meanwhile cannot know that its write happened.
 * - `Drop`: drop the connection (in-process client: `RequestError` reason
 *   `"Transport"`; real server: the socket is destroyed).
 * - `MalformedJson`: HTTP 200 with a truncated JSON body.
 * - `Unauthorized`: a 401 envelope, as if the token had been rejected.
 */
export type Fault = Data.TaggedEnum<{
  Status: { readonly status: number; readonly message?: string }
  Html502: {}
  Delay: { readonly duration: Duration.DurationInput }
  Drop: {}
  MalformedJson: {}
  Unauthorized: {}
}>

/** Constructors: `Fault.Status({ status: 503 })`, `Fault.Drop()`, ... */
export const Fault = Data.taggedEnum<Fault>()

export interface FaultOptions {
  /** How many matching requests the fault applies to (default 1). */
  readonly count?: number
  /** Path prefix the request must start with, e.g. `"/payments"` (default: any). */
  readonly route?: string
}

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

const STATUSES = new Set(["Status", "Html502", "Delay", "Drop", "MalformedJson", "Unauthorized"])

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
    default:
      return Fault.Unauthorized()
  }
}
