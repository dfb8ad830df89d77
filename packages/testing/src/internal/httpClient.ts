/**
 * The in-process client: an `HttpClient` whose requests the emulator's `HttpApp` answers in the caller's
 * fiber, without sockets.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Api from "../IamportEmulator.js"
import { droppedResponses } from "./app.js"
import { InMemoryResponse } from "./response.js"

const toBodyInit = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<BodyInit | undefined, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(undefined)
    case "Raw":
      return Effect.succeed(body.body as BodyInit)
    case "Uint8Array":
      return Effect.succeed(body.body as BodyInit)
    case "FormData":
      return Effect.succeed(body.formData)
    case "Stream":
      return body.stream.pipe(
        Stream.runCollect,
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0))
          let offset = 0
          for (const part of parts) {
            out.set(part, offset)
            offset += part.length
          }
          return out as BodyInit
        }),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

/** The client's request as the web `Request` the app reads. */
const toWebRequest = (request: HttpClientRequest.HttpClientRequest, url: URL) =>
  Effect.flatMap(toBodyInit(request), (body) =>
    Effect.try({
      try: () =>
        new Request(url, {
          method: request.method,
          headers: request.headers,
          ...(body !== undefined && request.method !== "GET" && request.method !== "HEAD" ? { body } : {})
        }),
      catch: (cause) => new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause })
    })
  )

/** The emulator's answer to the client: in-memory bytes as they are, anything else through a web `Response`. */
const toClientResponse = (
  request: HttpClientRequest.HttpClientRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpClientResponse.HttpClientResponse => {
  const body = response.body
  if (body._tag !== "Uint8Array") return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
  const headers =
    body.contentType === undefined || response.headers["content-type"] !== undefined
      ? response.headers
      : Headers.set(response.headers, "content-type", body.contentType)
  return new InMemoryResponse(request, response.status, headers, body.body)
}

/** See `IamportEmulator.makeHttpClient`. */
export const make = (emulator: Api.Service): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const webRequest = yield* toWebRequest(request, url)
      const response = yield* emulator.app.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(webRequest))
      )
      if (droppedResponses.has(response)) {
        return yield* new HttpClientError.RequestError({
          request,
          reason: "Transport",
          description: "connection dropped (emulator fault)"
        })
      }
      return toClientResponse(request, response)
    })
  )
