/**
 * An `HttpClientResponse` over bytes already in memory, for the in-process
 * client: the body is read synchronously, without a web `Response` (whose
 * promise-based body costs more than the emulator's own work).
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

const decoder = new TextDecoder()

export class InMemoryResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  /** With a `content-length`, as a server on a socket sends it: the client reads a body of known length whole. */
  readonly headers: Headers.Headers

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    headers: Headers.Headers,
    private readonly bytes: Uint8Array
  ) {
    super()
    this.headers = Headers.set(headers, "content-length", String(bytes.length))
  }

  get cookies(): Cookies.Cookies {
    return Cookies.empty
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /**
   * Resumes on the next turn of the event loop, as a read from a socket would: work waiting on I/O
   * elsewhere (a token refresh reading its request body) is not starved by a tight loop of calls.
   */
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.async<string, HttpClientError.ResponseError>((resume) => {
      const handle = setImmediate(() => resume(Effect.sync(() => decoder.decode(this.bytes))))
      return Effect.sync(() => clearImmediate(handle))
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => (this.bytes.length === 0 ? null : (JSON.parse(decoder.decode(this.bytes)) as unknown)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.sync(() => UrlParams.fromInput(new URLSearchParams(decoder.decode(this.bytes))))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => this.bytes.slice().buffer as ArrayBuffer)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(this.bytes)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.bytes as Uint8Array<ArrayBuffer>, { headers: this.headers }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }
}
