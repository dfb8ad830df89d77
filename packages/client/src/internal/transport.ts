/**
 * The transports' shared parts (their settings, errors and body reading) and
 * the transport over any `@effect/platform` `HttpClient`; undici's is in
 * `./undici.ts`. The types are declared in `../IamportTransport.ts`.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { IamportDecodeError, IamportInvalidArgumentError, IamportTransportError } from "../IamportError.js"
import type { Answer, Failure, IamportTransport, Options } from "../IamportTransport.js"

/** The default API host. */
export const defaultBaseUrl = "https://api.iamport.kr"

/** The time allowed for one attempt unless `timeout` says otherwise. */
export const defaultTimeout = Duration.seconds(30)

/** The largest answer body read unless `maxResponseBytes` says otherwise: 16 MiB. */
export const defaultMaxResponseBytes = 16 * 1024 * 1024

/** A transport's options with their defaults: the base URL without trailing slashes. */
export interface Settings {
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly maxBytes: number
}

/**
 * Why `baseUrl` cannot be a base URL (not an absolute `http:` or `https:` URL, such as `127.0.0.1:4010`
 * without its scheme), or `undefined` when it can.
 */
export const invalidBaseUrl = (baseUrl: string): string | undefined => {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return "is not an absolute URL (e.g. https://api.iamport.kr)"
  }
  return url.protocol === "http:" || url.protocol === "https:"
    ? undefined
    : `has scheme ${url.protocol} (expected http: or https:)`
}

/** The settings `options` stand for. */
export const settings = (options: Options = {}): Settings => ({
  baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ""),
  timeout: Duration.decode(options.timeout ?? defaultTimeout),
  maxBytes: options.maxResponseBytes ?? defaultMaxResponseBytes
})

/** The attempt took longer than its time limit: the request may have been processed. */
export const timedOut = (endpoint: string, timeout: Duration.Duration): IamportTransportError =>
  new IamportTransportError({
    endpoint,
    reason: "Timeout",
    mayHaveBeenProcessed: true,
    description: `no answer within ${Duration.format(timeout)}`
  })

const connectionRefused = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"])

/** Whether an error (or one of its causes) says the request never left this machine. */
const neverSent = (error: unknown): boolean => {
  let cause = error
  for (let depth = 0; depth < 6 && typeof cause === "object" && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === "string" && connectionRefused.has(code)) return true
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/**
 * A lost connection: before the answer (`"request"`) or while reading its
 * body (`"body"`). Only the error's code is looked at; its message, which may
 * quote the request, is never kept.
 */
export const connectionLost = (endpoint: string, error: unknown, phase: "request" | "body"): IamportTransportError => {
  const notSent = phase === "request" && neverSent(error)
  return new IamportTransportError({
    endpoint,
    reason: "Connection",
    mayHaveBeenProcessed: !notSent,
    description: notSent ? "connection refused" : phase === "body" ? "answer body lost" : "transport error"
  })
}

/** An answer whose body is over the cap: refused, not retried. */
export const unsendable = (endpoint: string): IamportInvalidArgumentError =>
  new IamportInvalidArgumentError({
    endpoint,
    argument: "request",
    issue: "a header value or the method cannot be sent over HTTP"
  })

export const tooLarge = (endpoint: string, status: number, maxBytes: number): IamportDecodeError =>
  new IamportDecodeError({ endpoint, status, issue: `answer body larger than maxResponseBytes (${maxBytes} bytes)` })

/**
 * How to read a body under a cap of `maxBytes`: `"whole"` when its declared length is within the cap (the
 * cheap path), `"tooLarge"` when the declared length is over it (read nothing), `"count"` when no length is
 * declared, or the declared one is of the encoded body (`content-encoding`), so the bytes are counted as they
 * come.
 */
export const readPlan = (
  contentLength: string | ReadonlyArray<string> | undefined,
  contentEncoding: string | ReadonlyArray<string> | undefined,
  maxBytes: number
): "whole" | "tooLarge" | "count" => {
  if (typeof contentLength !== "string" || contentLength === "") return "count"
  if (contentEncoding !== undefined && contentEncoding !== "identity") return "count"
  const declared = Number(contentLength)
  return declared <= maxBytes ? "whole" : declared > maxBytes ? "tooLarge" : "count"
}

/** An answer's body as text, taken chunk by chunk; refuses the chunk that takes it over `maxBytes`. */
export class BodyCollector {
  private size = 0
  private text = ""
  private readonly decoder = new TextDecoder()
  constructor(private readonly maxBytes: number) {}
  /** Adds a chunk; `false` (and nothing kept) once the body is over the cap. */
  push(chunk: Uint8Array): boolean {
    this.size += chunk.length
    if (this.size > this.maxBytes) return false
    this.text += this.decoder.decode(chunk, { stream: true })
    return true
  }
  /** The whole body, once every chunk was pushed. */
  end(): string {
    return this.text + this.decoder.decode()
  }
}

/** The body of `response`, within `maxBytes`. */
const readBody = (
  endpoint: string,
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Answer, HttpClientError.HttpClientError | IamportDecodeError> => {
  const status = response.status
  const headers = response.headers
  const retryAfter = status === 429 || status === 503 ? headers["retry-after"] : undefined
  const answer =
    retryAfter === undefined
      ? (body: string): Answer => ({ status, body })
      : (body: string): Answer => ({ status, body, retryAfter })
  const plan = readPlan(headers["content-length"], headers["content-encoding"], maxBytes)
  if (plan === "whole") return Effect.map(response.text, answer)
  const refused = Effect.fail(tooLarge(endpoint, status, maxBytes))
  if (plan === "tooLarge") {
    // The platform aborts a request only when its body stream ends (or on an interruption): the body is
    // refused on its first chunk, which is not kept.
    return Effect.zipRight(
      Stream.runForEachChunk(response.stream, () => refused),
      refused
    )
  }
  return Effect.suspend(() => {
    const body = new BodyCollector(maxBytes)
    return Stream.runForEachChunk(response.stream, (chunk) => {
      for (const bytes of chunk) if (!body.push(bytes)) return refused
      return Effect.void
    }).pipe(Effect.map(() => answer(body.end())))
  })
}

/** Maps `@effect/platform` errors to ours; the request (and its headers) is never kept. */
const fromPlatformError = (endpoint: string, error: HttpClientError.HttpClientError): Failure =>
  error._tag === "RequestError" && error.reason !== "Transport"
    ? new IamportInvalidArgumentError({ endpoint, argument: "request", issue: `${error.reason} error` })
    : connectionLost(endpoint, error, error._tag === "ResponseError" ? "body" : "request")

/**
 * A transport over any `HttpClient`: the platform's tracing, proxies and
 * middleware apply; `Effect.timeoutFail` bounds each attempt on the Effect
 * `Clock` (so `TestClock` drives it); a body over `maxBytes` is refused.
 */
export const fromHttpClient = (http: HttpClient.HttpClient, options?: Options): IamportTransport => {
  const { baseUrl, maxBytes, timeout } = settings(options)
  return (endpoint, outgoing) => {
    let request = HttpClientRequest.make(outgoing.method)(baseUrl + outgoing.path, { headers: outgoing.headers })
    if (outgoing.body !== undefined) request = HttpClientRequest.bodyText(request, outgoing.body, "application/json")
    return http.execute(request).pipe(
      Effect.flatMap((response) => readBody(endpoint, response, maxBytes)),
      Effect.mapError((error) => (error._tag === "IamportDecodeError" ? error : fromPlatformError(endpoint, error))),
      Effect.timeoutFail({ duration: timeout, onTimeout: () => timedOut(endpoint, timeout) })
    )
  }
}
