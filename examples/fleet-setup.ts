/**
 * The setup of a fleet on PostgreSQL, as the README shows it: the webhook deliveries and the access token
 * shared by every instance through `@effect-iamport/sql`. (Type-checked; `webhook-server/main.ts` runs it.)
 */
import { Webhook } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import { SqlDeliveryStore, SqlTokenStore } from "@effect-iamport/sql"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Config, Effect } from "effect"

export const Webhooks = Effect.gen(function* () {
  yield* SqlDeliveryStore.migrate() // one CREATE TABLE IF NOT EXISTS each; or run their `ddl()` yourself
  yield* SqlTokenStore.migrate()
  const store = yield* SqlDeliveryStore.make()
  const tokens = yield* SqlTokenStore.make()
  const iamport = NodeIamportClient.layerConfig({ tokenCache: Config.succeed({ store: tokens }) })
  return { handler: Webhook.handler({ store, onVerified: (v) => Effect.log(v._tag) }), iamport }
}).pipe(Effect.provide(PgClient.layerConfig({ url: Config.redacted("DATABASE_URL") })))
