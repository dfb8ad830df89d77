/**
 * Runs the webhook server on `PORT` (default 3000):
 *
 * ```sh
 * IMP_KEY=... IMP_SECRET=... pnpm tsx examples/webhook-server/main.ts
 * ```
 *
 * `IAMPORT_BASE_URL` points it at another API, e.g. the emulator (`pnpm emulator --port 4010`).
 */
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Config, Effect, Layer } from "effect"
import { createServer } from "node:http"
import { makeOrderBook, routes } from "./server.js"

const Server = Effect.gen(function* () {
  const orders = yield* makeOrderBook
  const port = yield* Config.integer("PORT").pipe(Config.withDefault(3000))
  return HttpServer.serve(routes(orders)).pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(createServer, { port }))
  )
}).pipe(Layer.unwrapEffect, Layer.provide(NodeIamportClient.layerConfig()))

NodeRuntime.runMain(Layer.launch(Server))
