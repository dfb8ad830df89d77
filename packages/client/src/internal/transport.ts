/**
 * How one request reaches the API and its answer comes back: plain data in,
 * status and body text out, within a time limit per attempt. The pipeline is
 * the same whatever carries the bytes: any `@effect/platform` `HttpClient`
 * (`fromHttpClient`), or undici directly (`./undici.ts`, for Node).
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { IamportInvalidArgumentError, IamportTransportError } from "../IamportError.js"

/** One request, as the pipeline builds it. */
export interface Outgoing {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** Path and query, relative to the base URL (`/payments/imp_1?x=1`), segments already encoded. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** A JSON text; the transport sets `Content-Type: application/json`. */
  readonly body?: string | undefined
}

/** An answer whose whole body was read. */
export interface Answer {
  readonly status: number
  readonly body: string
}

/** What can go wrong before an answer is in hand. */
export type TransportFailure = IamportTransportError | IamportInvalidArgumentError

/** Sends one request to the base URL the transport was built for; `endpoint` names it in errors. */
export type Transport = (endpoint: string, request: Outgoing) => Effect.Effect<Answer, TransportFailure>

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

/** Maps `@effect/platform` errors to ours; the request (and its headers) is never kept. */
const fromPlatformError = (endpoint: string, error: HttpClientError.HttpClientError): TransportFailure =>
  error._tag === "RequestError" && error.reason !== "Transport"
    ? new IamportInvalidArgumentError({ endpoint, argument: "request", issue: `${error.reason} error` })
    : connectionLost(endpoint, error, error._tag === "ResponseError" ? "body" : "request")

/**
 * A transport over any `HttpClient`: the platform's tracing, proxies and
 * middleware apply; `Effect.timeoutFail` bounds each attempt on the Effect
 * `Clock` (so `TestClock` drives it).
 */
export const fromHttpClient =
  (http: HttpClient.HttpClient, baseUrl: string, timeout: Duration.Duration): Transport =>
  (endpoint, outgoing) => {
    let request = HttpClientRequest.make(outgoing.method)(baseUrl + outgoing.path, { headers: outgoing.headers })
    if (outgoing.body !== undefined) request = HttpClientRequest.bodyText(request, outgoing.body, "application/json")
    return http.execute(request).pipe(
      Effect.flatMap((response) => Effect.map(response.text, (body): Answer => ({ status: response.status, body }))),
      Effect.mapError((error) => fromPlatformError(endpoint, error)),
      Effect.timeoutFail({ duration: timeout, onTimeout: () => timedOut(endpoint, timeout) })
    )
  }
