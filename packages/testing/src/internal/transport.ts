/**
 * The client's `IamportTransport` straight onto the emulator: the request handed over as an `Incoming`, the
 * `Reply` handed back as an `Answer`, with no HTTP objects in between. What a transport over a socket does is
 * kept: a `Delay` as long as the attempt's time limit or longer is a timeout (the emulator has processed the
 * request), a dropped connection or a body cut short is a lost connection, a body over `maxResponseBytes` is
 * refused, `Retry-After` comes with a 429 or 503.
 *
 * @internal
 */
import { IamportInvalidArgumentError } from "@effect-iamport/client/IamportError"
import * as IamportTransport from "@effect-iamport/client/IamportTransport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Api from "../IamportEmulator.js"
import * as Exchange from "./exchange.js"
import * as HttpClient from "./httpClient.js"
import * as Wire from "./wire.js"

type Result = Effect.Effect<IamportTransport.Answer, IamportTransport.Failure>

/** The path prefix of a base URL (`https://host/v1` -> `/v1`), or `undefined` when it is not an http(s) URL. */
const pathPrefix = (baseUrl: string): string | undefined => {
  try {
    const url = new URL(baseUrl)
    return url.protocol === "http:" || url.protocol === "https:" ? url.pathname.replace(/\/+$/, "") : undefined
  } catch {
    return undefined
  }
}

/** The same headers with lower-cased names (the same object when they already are). */
const lowerCased = (headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> => {
  for (const name in headers) {
    if (name.toLowerCase() !== name) {
      const out: Record<string, string> = {}
      for (const key in headers) out[key.toLowerCase()] = headers[key]!
      return out
    }
  }
  return headers
}

/** A header value HTTP can carry (Latin-1, no line break or NUL), as undici and `Headers` check it. */
const sendable = (value: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(value)

/** See `IamportEmulator.transport`. */
export const make = (
  emulator: Api.Service,
  options: IamportTransport.Options = {}
): IamportTransport.IamportTransport => {
  const respond = Exchange.respondOf(emulator)
  // a `Service` this package did not make: through its `app`
  if (respond === undefined) return IamportTransport.fromHttpClient(HttpClient.make(emulator), options)
  const prefix = options.baseUrl === undefined ? "" : pathPrefix(options.baseUrl)
  const { maxBytes, timeout } = IamportTransport.settings(options)
  const timedOut = (endpoint: string) => IamportTransport.timedOut(endpoint, timeout)

  const toAnswer = (endpoint: string, reply: Exchange.Reply): Result => {
    if (reply.connection !== undefined) {
      // a dropped connection fails while sending (but not as refused: the request was taken), a cut body after
      const phase = reply.connection === "Drop" ? "request" : "body"
      return Effect.fail(IamportTransport.connectionLost(endpoint, reply.connection, phase))
    }
    const { body, status } = reply
    if (!Wire.fitsIn(body, maxBytes)) return Effect.fail(IamportTransport.tooLarge(endpoint, status, maxBytes))
    const retryAfter = status === 429 || status === 503 ? reply.headers["retry-after"] : undefined
    return Effect.succeed(retryAfter === undefined ? { status, body } : { status, body, retryAfter })
  }

  /** The API's answer; a `Delay` waited out, or the time limit of the attempt when that comes first. */
  const settle = (endpoint: string, reply: Exchange.Reply): Result => {
    const delay = reply.delay
    if (delay === undefined) return toAnswer(endpoint, reply)
    return Duration.lessThan(delay, timeout)
      ? Effect.zipRight(Effect.sleep(delay), toAnswer(endpoint, reply))
      : Effect.zipRight(Effect.sleep(timeout), Effect.fail(timedOut(endpoint)))
  }

  return (endpoint, request) => {
    if (prefix === undefined) {
      return Effect.fail(
        new IamportInvalidArgumentError({ endpoint, argument: "baseUrl", issue: "not an http(s) URL" })
      )
    }
    for (const name in request.headers) {
      if (!sendable(request.headers[name]!)) return Effect.fail(IamportTransport.unsendable(endpoint))
    }
    const incoming: Exchange.Incoming = {
      method: request.method,
      url: prefix + request.path,
      headers:
        request.body === undefined
          ? lowerCased(request.headers)
          : { ...lowerCased(request.headers), "content-type": "application/json" },
      body: request.body ?? ""
    }
    return Effect.clockWith((clock) => {
      const reply = respond(incoming, clock.unsafeCurrentTimeMillis())
      // the admin routes are effects (webhooks go out over HTTP): bounded by the time limit
      if (Effect.isEffect(reply)) {
        return Effect.flatMap(
          Effect.timeoutFail(reply, { duration: timeout, onTimeout: () => timedOut(endpoint) }),
          (reply) => toAnswer(endpoint, reply)
        )
      }
      // The answer comes back after the other fibers had their turn, as it would from a socket: calls made
      // together are all answered before any caller acts on its answer (200 calls with a revoked token get
      // 200 401s, as they would from the real API, not one).
      return Effect.zipRight(Effect.yieldNow(), settle(endpoint, reply))
    })
  }
}
