/**
 * The transport on undici directly (Node): one `Dispatcher.request` per
 * attempt and the body read as text, with no `HttpClient` layer in between.
 * The time limit is a timer on the real clock that aborts the request, as a
 * socket timeout would; an interrupted attempt aborts its request too.
 *
 * @internal
 */
import type * as Undici from "@effect/platform-node/Undici"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { IamportInvalidArgumentError } from "../IamportError.js"
import { type Answer, connectionLost, timedOut, type Transport, type TransportFailure } from "./transport.js"

/** The parts of a base URL undici wants: `origin`, and a path prefix for every request. */
const splitBaseUrl = (baseUrl: string): { readonly origin: string; readonly prefix: string } | undefined => {
  try {
    const url = new URL(baseUrl)
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
    return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, "") }
  } catch {
    return undefined
  }
}

/** undici refused the request before sending it (a header value that HTTP cannot carry, say). */
const invalidRequest = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "UND_ERR_INVALID_ARG"

/** A transport over `dispatcher` to `baseUrl`, each attempt bounded by `timeout`. */
export const undiciTransport = (
  dispatcher: Undici.Dispatcher,
  baseUrl: string,
  timeout: Duration.Duration
): Transport => {
  const base = splitBaseUrl(baseUrl)
  const millis = Math.max(1, Duration.toMillis(timeout))
  return (endpoint, outgoing) => {
    if (base === undefined) {
      return Effect.fail(
        new IamportInvalidArgumentError({ endpoint, argument: "baseUrl", issue: "not an http(s) URL" })
      )
    }
    return Effect.async<Answer, TransportFailure>((resume) => {
      const controller = new AbortController()
      let settled = false
      const settle = (result: Effect.Effect<Answer, TransportFailure>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(result)
      }
      const timer = setTimeout(() => {
        settle(Effect.fail(timedOut(endpoint, timeout)))
        controller.abort()
      }, millis)
      dispatcher
        .request({
          origin: base.origin,
          path: base.prefix + outgoing.path,
          method: outgoing.method,
          headers:
            outgoing.body === undefined
              ? outgoing.headers
              : { ...outgoing.headers, "content-type": "application/json" },
          body: outgoing.body ?? null,
          signal: controller.signal,
          // the attempt's own timer bounds it
          headersTimeout: 0,
          bodyTimeout: 0
        })
        .then(
          (response) =>
            response.body.text().then(
              (body) => settle(Effect.succeed({ status: response.statusCode, body })),
              (error) => settle(Effect.fail(connectionLost(endpoint, error, "body")))
            ),
          (error) =>
            settle(
              Effect.fail(
                invalidRequest(error)
                  ? new IamportInvalidArgumentError({
                      endpoint,
                      argument: "request",
                      issue: "a header value or the method cannot be sent over HTTP"
                    })
                  : connectionLost(endpoint, error, "request")
              )
            )
        )
      return Effect.sync(() => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        controller.abort()
      })
    })
  }
}
