/**
 * The transport on undici directly (Node): one `Dispatcher.request` per
 * attempt and the body read as text, with no `HttpClient` layer in between.
 * The time limit is a timer on the real clock that aborts the request, as a
 * socket timeout would; an interrupted attempt aborts its request too, and so
 * does a body over the size cap.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import type * as Undici from "@effect/platform-node/Undici"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import type * as Tracer from "effect/Tracer"
import { IamportInvalidArgumentError } from "../IamportError.js"
import type { Answer, Failure, IamportTransport, Options, Request } from "../IamportTransport.js"
import { nativeTracer } from "./tracer.js"
import { BodyCollector, connectionLost, readPlan, settings, timedOut, tooLarge, unsendable } from "./transport.js"

/** A base URL as undici takes it. */
interface Base {
  readonly origin: string
  readonly prefix: string
}

/** The parts of a base URL undici wants: `origin`, and a path prefix for every request. */
const splitBaseUrl = (baseUrl: string): Base | undefined => {
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

/**
 * A transport over `dispatcher` to `baseUrl`, each attempt bounded by `timeout`, each body by
 * `maxResponseBytes`. When a tracer is installed each attempt gets the span an `HttpClient` gives a request
 * (`http.client <METHOD>`, its name from `HttpClient.SpanNameGenerator`, the same attributes with the
 * headers redacted, and the trace context sent unless `HttpClient.currentTracerPropagation` is off); under
 * Effect's built-in tracer, which exports nothing, none is made.
 */
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
    return Effect.withFiberRuntime((fiber) =>
      fiber.currentTracer === nativeTracer
        ? send(fiber, endpoint, base, outgoing, undefined)
        : traced(endpoint, base, outgoing)
    )
  }

  /** One attempt inside the span an `HttpClient` would make for it. */
  function traced(endpoint: string, base: Base, outgoing: Request): Effect.Effect<Answer, Failure> {
    return Effect.withFiberRuntime((fiber) => {
      const url = new URL(base.prefix + outgoing.path, base.origin)
      const bare = HttpClientRequest.make(outgoing.method)(url.toString(), { headers: outgoing.headers })
      // the body's `content-type` and `content-length`, as the platform's request carries them
      const request =
        outgoing.body === undefined ? bare : HttpClientRequest.bodyText(bare, outgoing.body, "application/json")
      if (
        !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
        fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
      ) {
        return send(fiber, endpoint, base, outgoing, undefined)
      }
      const name = Context.get(fiber.currentContext, HttpClient.SpanNameGenerator)(request)
      return Effect.useSpan(name, { kind: "client", captureStackTrace: false }, (span) => {
        span.attribute("http.request.method", outgoing.method)
        span.attribute("server.address", url.origin)
        if (url.port !== "") span.attribute("server.port", +url.port)
        span.attribute("url.full", url.toString())
        span.attribute("url.path", url.pathname)
        span.attribute("url.scheme", url.protocol.slice(0, -1))
        const query = url.search.slice(1)
        if (query !== "") span.attribute("url.query", query)
        const redactedNames = fiber.getFiberRef(Headers.currentRedactedNames)
        const redacted = Headers.redact(request.headers, redactedNames)
        for (const name in redacted) span.attribute(`http.request.header.${name}`, String(redacted[name]))
        const sent = fiber.getFiberRef(HttpClient.currentTracerPropagation)
          ? { ...outgoing, headers: { ...outgoing.headers, ...HttpTraceContext.toHeaders(span) } }
          : outgoing
        return Effect.withParentSpan(send(fiber, endpoint, base, sent, { span, redactedNames }), span)
      })
    })
  }

  /**
   * One undici request from `fiber`; `traced` gets the answer's status and headers. When the fiber ends before
   * the answer (it was interrupted), the request is aborted: an observer of the fiber does it, not a canceler
   * returned to `Effect.async`, which Effect wraps in `onInterrupt` frames whose garbage-collection work cost
   * every call more than the rest of the transport (BENCHMARKS.md, "What bounds the missed targets").
   */
  function send(
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    endpoint: string,
    base: Base,
    outgoing: Request,
    traced: { readonly span: Tracer.Span; readonly redactedNames: ReadonlyArray<string | RegExp> } | undefined
  ): Effect.Effect<Answer, Failure> {
    return Effect.async<Answer, Failure>((resume) => {
      const signal = new Abort()
      let settled = false
      const abandoned = () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        signal.abort()
      }
      fiber.addObserver(abandoned)
      const settle = (result: Effect.Effect<Answer, Failure>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        fiber.removeObserver(abandoned)
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
            const retryAfter = status === 429 || status === 503 ? response.headers["retry-after"] : undefined
            const answer = (text: string): Answer =>
              typeof retryAfter === "string" ? { status, body: text, retryAfter } : { status, body: text }
            if (traced !== undefined) {
              traced.span.attribute("http.response.status_code", status)
              const redacted = Headers.redact(
                Headers.fromInput(response.headers as Record<string, string | ReadonlyArray<string>>),
                traced.redactedNames
              )
              for (const name in redacted) traced.span.attribute(`http.response.header.${name}`, String(redacted[name]))
            }
            const plan = readPlan(response.headers["content-length"], response.headers["content-encoding"], maxBytes)
            if (plan === "whole") {
              return body.text().then(
                (text) => settle(Effect.succeed(answer(text))),
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
            body.on("end", () => settle(Effect.succeed(answer(collected.end()))))
          },
          (error) =>
            settle(
              Effect.fail(invalidRequest(error) ? unsendable(endpoint) : connectionLost(endpoint, error, "request"))
            )
        )
    })
  }
}
