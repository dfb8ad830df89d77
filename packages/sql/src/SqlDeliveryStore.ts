/**
 * A `Webhook.DeliveryStore` on any `@effect/sql` database: the "once per
 * verified state" guarantee of `Webhook.handler` for a whole fleet, not one
 * process. `@effect/sql-sqlite-node` for one durable instance, `@effect/sql-pg`
 * for several.
 *
 * - `claim` is one `INSERT … ON CONFLICT … DO UPDATE … WHERE` statement: of two
 *   instances claiming one key at once, the database makes exactly one the owner.
 *   A claim whose lease ran out (its instance died) is taken over by the same
 *   statement.
 * - `complete` marks a key done after `onVerified` succeeded; `release` forgets
 *   a claim, only for the owner that holds it.
 * - Leases run on the database's clock, never on an instance's.
 *
 * The table, created by `migrate` (or by running `ddl` yourself):
 *
 * ```sql
 * CREATE TABLE IF NOT EXISTS iamport_webhook_deliveries (
 *   key VARCHAR(512) PRIMARY KEY,  -- outcome|imp_uid|status|cancelled amount
 *   owner VARCHAR(64) NOT NULL,    -- the claim's token
 *   done INTEGER NOT NULL,         -- 1 once handed over
 *   lease_until BIGINT NOT NULL,   -- database-clock ms
 *   updated_at BIGINT NOT NULL     -- database-clock ms, for purge
 * )
 * ```
 *
 * @since 0.2.0
 */
import { Webhook } from "@effect-iamport/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { nowMillis, toNumber } from "./internal/clock.js"
import * as Table from "./internal/table.js"

/**
 * @category models
 * @since 0.2.0
 */
export interface Options {
  /** Default `iamport_webhook_deliveries`. */
  readonly table?: string
}

const definition = Table.define(
  "iamport_webhook_deliveries",
  `  key VARCHAR(512) PRIMARY KEY,
  owner VARCHAR(64) NOT NULL,
  done INTEGER NOT NULL,
  lease_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL`
)

/**
 * The one statement that creates the table.
 *
 * @category api
 * @since 0.2.0
 */
export const ddl = (options: Options = {}): string => definition.ddl(options)

/**
 * Creates the table if it does not exist.
 *
 * @category api
 * @since 0.2.0
 */
export const migrate = (options: Options = {}): Effect.Effect<void, SqlError, SqlClient.SqlClient> =>
  definition.migrate(options)

/**
 * The store, on the `SqlClient` in context (run `migrate` once before).
 *
 * @category constructors
 * @since 0.2.0
 * @example
 * ```ts
 * import { Webhook } from "@effect-iamport/client"
 * import { SqlDeliveryStore } from "@effect-iamport/sql"
 * import { Effect } from "effect"
 *
 * const handler = Effect.gen(function* () {
 *   yield* SqlDeliveryStore.migrate()
 *   const store = yield* SqlDeliveryStore.make()
 *   return Webhook.handler({ store, onVerified: (verification) => Effect.log(verification._tag) })
 * })
 * ```
 */
export const make = (options: Options = {}): Effect.Effect<Webhook.DeliveryStore, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql): Webhook.DeliveryStore => {
    const table = sql(definition.name(options))
    const now = nowMillis(sql)
    const failed = (error: SqlError) => new Webhook.DeliveryStoreError({ cause: error })

    const claim = (key: string, lease: Duration.Duration) =>
      Effect.gen(function* () {
        const owner = crypto.randomUUID()
        const leaseMillis = Math.max(1, Math.round(Duration.toMillis(lease)))
        // new, or an unfinished claim whose lease ran out: this delivery owns it; anything else is left alone
        const taken = yield* sql<{ owner: string }>`
          INSERT INTO ${table} (key, owner, done, lease_until, updated_at)
          VALUES (${key}, ${owner}, 0, ${now} + ${leaseMillis}, ${now})
          ON CONFLICT (key) DO UPDATE
            SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
            WHERE ${table}.done = 0 AND ${table}.lease_until <= ${now}
          RETURNING owner`
        if (taken[0]?.owner === owner) return { _tag: "Claimed", token: owner } as const
        const rows = yield* sql<{ done: unknown }>`SELECT done FROM ${table} WHERE key = ${key}`
        return toNumber(rows[0]?.done) === 1 ? ({ _tag: "Done" } as const) : ({ _tag: "InFlight" } as const)
      }).pipe(Effect.mapError(failed))

    const complete = (key: string) =>
      sql`UPDATE ${table} SET done = 1, updated_at = ${now} WHERE key = ${key}`.pipe(
        Effect.asVoid,
        Effect.mapError(failed)
      )

    const release = (key: string, token: string) =>
      sql`DELETE FROM ${table} WHERE key = ${key} AND owner = ${token} AND done = 0`.pipe(
        Effect.asVoid,
        Effect.mapError(failed)
      )

    return { claim, complete, release }
  })

/**
 * Deletes the keys handed over more than `olderThan` ago (i'mport resends for
 * hours, not weeks: 30 days is plenty). Returns how many were deleted.
 *
 * @category api
 * @since 0.2.0
 */
export const purge = (
  olderThan: Duration.DurationInput,
  options: Options = {}
): Effect.Effect<number, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const table = sql(definition.name(options))
    const cutoff = Math.round(Duration.toMillis(Duration.decode(olderThan)))
    return sql<{ key: string }>`
      DELETE FROM ${table} WHERE done = 1 AND updated_at < ${nowMillis(sql)} - ${cutoff} RETURNING key`.pipe(
      Effect.map((rows) => rows.length)
    )
  })
