/**
 * The transport on undici directly (Node): one `Dispatcher.request` per
 * attempt and the body read as text, with no `HttpClient` layer in between.
 * The time limit is a timer on the real clock that aborts the request, as a
 * socket timeout would; an interrupted attempt aborts its request too, and so
 * does a body over the size cap.
 *
 * @internal
 */
import type * as Undici from "@effect/platform-node/Undici"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { IamportInvalidArgumentError } from "../IamportError.js"
import type { Answer, Failure, IamportTransport, Options } from "../IamportTransport.js"
import { BodyCollector, connectionLost, readPlan, settings, timedOut, tooLarge } from "./transport.js"

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

/**
 * The smallest abort signal undici takes: it accepts an `EventEmitter`-like `once`/`removeListener` besides
 * an `AbortSignal`, and an `AbortController` costs more than the rest of a request's set-up.
 */
class Abort {
  aborted = false
  private listener: (() => void) | undefined = undefined
  on(_event: "abort", listener: () => void): this {
    this.listener = listener
    return this
  }
  once(event: "abort", listener: () => void): this {
    return this.on(event, listener)
  }
  removeListener(): this {
    this.listener = undefined
    return this
  }
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    const listener = this.listener
    this.listener = undefined
    listener?.()
  }
}

/** undici refused the request before sending it (a header value that HTTP cannot carry, say). */
const invalidRequest = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "UND_ERR_INVALID_ARG"

/** A transport over `dispatcher` to `baseUrl`, each attempt bounded by `timeout`, each body by `maxResponseBytes`. */
export const undiciTransport = (dispatcher: Undici.Dispatcher, options?: Options): IamportTransport => {
  const { baseUrl, maxBytes, timeout } = settings(options)
  const base = splitBaseUrl(baseUrl)
  const millis = Math.max(1, Duration.toMillis(timeout))
  return (endpoint, outgoing) => {
    if (base === undefined) {
      return Effect.fail(
        new IamportInvalidArgumentError({ endpoint, argument: "baseUrl", issue: "not an http(s) URL" })
      )
    }
    return Effect.async<Answer, Failure>((resume) => {
      const signal = new Abort()
      let settled = false
      const settle = (result: Effect.Effect<Answer, Failure>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(result)
      }
      const timer = setTimeout(() => {
        settle(Effect.fail(timedOut(endpoint, timeout)))
        signal.abort()
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
          signal: signal as unknown as Undici.Dispatcher.RequestOptions["signal"],
          // the attempt's own timer bounds it
          headersTimeout: 0,
          bodyTimeout: 0
        })
        .then(
          (response) => {
            const status = response.statusCode
            const body = response.body
            const plan = readPlan(response.headers["content-length"], response.headers["content-encoding"], maxBytes)
            if (plan === "whole") {
              return body.text().then(
                (text) => settle(Effect.succeed({ status, body: text })),
                (error) => settle(Effect.fail(connectionLost(endpoint, error, "body")))
              )
            }
            // destroying the body aborts the request: nothing more is read
            const refuse = () => {
              settle(Effect.fail(tooLarge(endpoint, status, maxBytes)))
              body.destroy()
            }
            body.on("error", (error) => settle(Effect.fail(connectionLost(endpoint, error, "body"))))
            if (plan === "tooLarge") return refuse()
            const collected = new BodyCollector(maxBytes)
            body.on("data", (chunk: Buffer) => {
              if (!collected.push(chunk)) refuse()
            })
            body.on("end", () => settle(Effect.succeed({ status, body: collected.end() })))
          },
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
        signal.abort()
      })
    })
  }
}
