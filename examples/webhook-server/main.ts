/**
 * Runs the webhook server on `PORT` (default 3000):
 *
 * ```sh
 * IMP_KEY=... IMP_SECRET=... pnpm tsx examples/webhook-server/main.ts
 * ```
 *
 * - `IAMPORT_BASE_URL` points it at another API, e.g. the emulator (`pnpm emulator --port 4010`).
 * - Without `DATABASE_URL`, orders, deliveries and the token live in this process's memory.
 * - With `DATABASE_URL` (PostgreSQL), they live in that database: run as many instances as you like
 *   behind a load balancer; each verified state is handed over once for all of them, and one instance
 *   asks i'mport for the token for all.
 * - `WEBHOOK_LEASE_MS`: how long a delivery's claim holds before another instance may take it over
 *   (default 2 minutes). `ORDER_APPLY_DELAY_MS`: a pause before each order write, to see a slow
 *   database (the fleet test kills an instance inside it).
 */
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import { SqlDeliveryStore, SqlTokenStore } from "@effect-iamport/sql"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Config, Effect, Layer, Option, type Redacted } from "effect"
import { createServer } from "node:http"
import { makeOrderBook, makeSqlOrderBook, type OrderBook } from "./orders.js"
import { routes } from "./server.js"

const settings = Config.all({
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  databaseUrl: Config.option(Config.redacted("DATABASE_URL")),
  lease: Config.option(Config.integer("WEBHOOK_LEASE_MS")),
  applyDelay: Config.integer("ORDER_APPLY_DELAY_MS").pipe(Config.withDefault(0))
})

/** The order book, its writes paused by `delay` milliseconds. */
const slowed = (orders: OrderBook, delay: number): OrderBook =>
  delay === 0 ? orders : { ...orders, apply: (m, v) => Effect.zipRight(Effect.sleep(delay), orders.apply(m, v)) }

/** Everything on one PostgreSQL database, shared by every instance. */
const onDatabase = (url: Redacted.Redacted, options: Config.Config.Success<typeof settings>) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      yield* SqlDeliveryStore.migrate()
      yield* SqlTokenStore.migrate()
      const orders = yield* makeSqlOrderBook
      const store = yield* SqlDeliveryStore.make()
      const tokens = yield* SqlTokenStore.make()
      const lease = Option.getOrUndefined(options.lease)
      return HttpServer.serve(
        routes(slowed(orders, options.applyDelay), { store, ...(lease !== undefined ? { lease } : {}) })
      ).pipe(Layer.provide(NodeIamportClient.layerConfig({ tokenCache: Config.succeed({ store: tokens }) })))
    })
  ).pipe(Layer.provide(PgClient.layer({ url })))

/** Everything in this process's memory. */
const inMemory = (options: Config.Config.Success<typeof settings>) =>
  Layer.unwrapEffect(
    Effect.map(makeOrderBook, (orders) => {
      const lease = Option.getOrUndefined(options.lease)
      return HttpServer.serve(routes(slowed(orders, options.applyDelay), lease !== undefined ? { lease } : {})).pipe(
        Layer.provide(NodeIamportClient.layerConfig())
      )
    })
  )

const Server = Layer.unwrapEffect(
  Effect.map(settings, (options) =>
    Option.match(options.databaseUrl, {
      onNone: () => inMemory(options),
      onSome: (url) => onDatabase(url, options)
    }).pipe(
      HttpServer.withLogAddress,
      Layer.provide(NodeHttpServer.layer(createServer, { port: options.port, host: "127.0.0.1" }))
    )
  )
)

NodeRuntime.runMain(Layer.launch(Server))
