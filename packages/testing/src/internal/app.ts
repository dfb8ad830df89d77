/**
 * The emulator's `HttpApp`, for the HTTP server and the in-process `HttpClient`: an `HttpServerRequest` read
 * into an `Incoming` (its body within the size limit), the emulator's `Reply` written as an
 * `HttpServerResponse`, with the faults on the connection: a `Delay` waited out, `Drop` destroying a real
 * server's socket, `CutBody` ending it mid-body.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Exchange from "./exchange.js"

const decoder = new TextDecoder()

const DRAIN_LIMIT = 64 * 1024 * 1024

/** The body's text, within `limit` bytes. */
const readText = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<string, Exchange.BodyReadError> => {
  const declared = Number(request.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) return Effect.fail("TooLarge" as const)
  // no body at all: a zero length, or a web `Request` without one (its stream would fail, which is no abort)
  if (declared === 0 || (request.source as { readonly body?: unknown }).body === null) return Effect.succeed("")
  // Past the limit keep draining (up to DRAIN_LIMIT) and discard, so a client still
  // writing its body receives the 413 instead of a connection reset.
  return request.stream.pipe(
    Stream.mapError(() => "Aborted" as const),
    Stream.runFoldWhile(
      { size: 0, parts: [] as Array<Uint8Array> },
      (state) => state.size <= DRAIN_LIMIT,
      (state, chunk: Uint8Array) => {
        const size = state.size + chunk.length
        if (size <= limit) state.parts.push(chunk)
        return { size, parts: state.parts }
      }
    ),
    Effect.flatMap(({ parts, size }) => {
      if (size > limit) return Effect.fail("TooLarge" as const)
      const out = new Uint8Array(size)
      let offset = 0
      for (const part of parts) {
        out.set(part, offset)
        offset += part.length
      }
      return Effect.succeed(decoder.decode(out))
    })
  )
}

/** The request as the emulator reads it; the body of a `GET` or `HEAD` is not read. */
const toIncoming = (request: HttpServerRequest.HttpServerRequest, limit: number): Effect.Effect<Exchange.Incoming> => {
  const incoming = { method: request.method, url: request.url, headers: request.headers, body: "" }
  if (request.method === "GET" || request.method === "HEAD") return Effect.succeed(incoming)
  return Effect.match(readText(request, limit), {
    onFailure: (bodyError) => ({ ...incoming, bodyError }),
    onSuccess: (body) => ({ ...incoming, body })
  })
}

/** Responses standing for a dropped connection (see `Fault.Drop`): the in-process `HttpClient` fails on them. */
export const droppedResponses = new WeakSet<HttpServerResponse.HttpServerResponse>()

/** The socket of a request served by a real server (none in process). */
const socketOf = (request: HttpServerRequest.HttpServerRequest) =>
  (request as unknown as { source?: { socket?: { destroy?: () => void; end?: () => void } } }).source?.socket

/** Raised in the body of a `CutBody` answer served in process, where no socket can be cut. */
class ConnectionCut extends Data.TaggedError("ConnectionCut")<{}> {}

/** The reply as a response; `Drop` destroys a real server's socket, `CutBody` sends half the body and ends it. */
const toResponse = (
  request: HttpServerRequest.HttpServerRequest,
  reply: Exchange.Reply
): HttpServerResponse.HttpServerResponse => {
  if (reply.connection === "Drop") {
    socketOf(request)?.destroy?.()
    const response = HttpServerResponse.empty({ status: 599 })
    droppedResponses.add(response)
    return response
  }
  // the body's own type wins over a header: `content-type` goes with the body
  const { "content-type": contentType, ...others } = reply.headers
  const headers = Headers.fromInput(others)
  if (reply.connection !== "Cut") {
    return HttpServerResponse.text(reply.body, { status: reply.status, contentType, headers })
  }
  const bytes = new TextEncoder().encode(reply.body)
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
    { status: reply.status, contentType, headers, contentLength: bytes.length }
  )
}

/** The `HttpApp` over `respond`; bodies over `maxBodyBytes` get 413. */
export const makeApp = (respond: Exchange.Respond, maxBodyBytes: number): HttpApp.Default =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    toIncoming(request, maxBodyBytes).pipe(
      Effect.flatMap((incoming) => Exchange.respondWith(respond, incoming)),
      Effect.flatMap((reply) => {
        const response = toResponse(request, reply)
        return reply.delay === undefined ? Effect.succeed(response) : Effect.as(Effect.sleep(reply.delay), response)
      })
    )
  )
