/**
 * The emulator served over plain HTTP (Node `http`).
 *
 * @internal
 */
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Api from "../IamportEmulator.js"

/** A host as it stands in a URL: a wildcard address as loopback, IPv6 in brackets. */
const urlHost = (hostname: string): string => {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1"
  if (hostname === "::") return "[::1]"
  return hostname.includes(":") ? `[${hostname}]` : hostname
}

/** Serves the emulator's `app` on the provided `HttpServer` for the scope's lifetime; returns its URL. */
export const serve = (
  emulator: Api.Service
): Effect.Effect<{ readonly url: string }, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function* () {
    yield* HttpServer.serveEffect(emulator.app)
    const server = yield* HttpServer.HttpServer
    const address = server.address
    const url =
      address._tag === "TcpAddress"
        ? `http://${urlHost(address.hostname)}:${address.port}`
        : `http+unix://${encodeURIComponent(address.path)}`
    return { url }
  })

/** A Node HTTP server on `host:port` (defaults: any free port on `127.0.0.1`). */
export const nodeServer = (options?: Api.ServerOptions): Layer.Layer<HttpServer.HttpServer, ServeError> =>
  NodeHttpServer.layerServer(() => Http.createServer(), {
    port: options?.port ?? 0,
    host: options?.host ?? "127.0.0.1"
  })
