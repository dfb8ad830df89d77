/**
 * A `WriteJournal` on any `@effect/sql` database: the money writes that confirm themselves (`Payments.cancel`,
 * `Subscribe.again`, `Subscribe.onetime`) are recorded before they are sent and settled after, so that
 * `Payments.reconcilePending`, run at start-up or on a schedule, resolves what a crashed process left open.
 *
 * - `record` inserts the entry `pending` (a cancel with its `checksum` and the request as sent; a charge with
 *   its `merchant_uid`, `amount` and `customer_uid` only, never card data).
 * - `settle` moves an open entry (`pending` or `unknown`) to `confirmed`, `failed` or `unknown`; a settled
 *   entry never changes again.
 * - `pending` lists the open entries, oldest first (times on the database's clock).
 *
 * The table, created by `migrate` (or by running `ddl` yourself):
 *
 * ```sql
 * CREATE TABLE IF NOT EXISTS iamport_write_journal (
 *   id VARCHAR(64) PRIMARY KEY,
 *   operation VARCHAR(16) NOT NULL,  -- cancel | again | onetime
 *   target VARCHAR(512) NOT NULL,    -- imp_uid (cancel) or merchant_uid (charge)
 *   request TEXT NOT NULL,           -- the request as sent, JSON (no card data)
 *   checksum DOUBLE PRECISION,       -- a cancel's balance before it
 *   cancellations INTEGER,           -- the payment's cancellations before it, when looked up
 *   state VARCHAR(16) NOT NULL,      -- pending | unknown | confirmed | failed
 *   imp_uid VARCHAR(64),             -- the payment, once known
 *   recorded_at BIGINT NOT NULL,     -- database-clock ms
 *   settled_at BIGINT                -- database-clock ms
 * )
 * ```
 *
 * @since 0.2.0
 */
import { WriteJournal } from "@effect-iamport/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { nowMillis, toNumber } from "./internal/clock.js"
import * as Table from "./internal/table.js"

/**
 * @category models
 * @since 0.2.0
 */
export interface Options {
  /** Default `iamport_write_journal`. */
  readonly table?: string
}

const definition = Table.define(
  "iamport_write_journal",
  `  id VARCHAR(64) PRIMARY KEY,
  operation VARCHAR(16) NOT NULL,
  target VARCHAR(512) NOT NULL,
  request TEXT NOT NULL,
  checksum DOUBLE PRECISION,
  cancellations INTEGER,
  state VARCHAR(16) NOT NULL,
  imp_uid VARCHAR(64),
  recorded_at BIGINT NOT NULL,
  settled_at BIGINT`
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

interface Row {
  readonly id: string
  readonly operation: string
  readonly target: string
  readonly request: string
  readonly checksum: unknown
  readonly cancellations: unknown
  readonly state: string
}

const optionalNumber = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : toNumber(value)

/**
 * The journal, on the `SqlClient` in context (run `migrate` once before).
 *
 * @category constructors
 * @since 0.2.0
 * @example
 * ```ts
 * import { Payments, WriteJournal } from "@effect-iamport/client"
 * import { SqlWriteJournal } from "@effect-iamport/sql"
 * import { Effect } from "effect"
 *
 * // at start-up: resolve what a crash left open; every cancel and charge is then journaled
 * const startUp = Effect.gen(function* () {
 *   yield* SqlWriteJournal.migrate()
 *   const journal = yield* SqlWriteJournal.make()
 *   return yield* Payments.reconcilePending().pipe(Effect.provideService(WriteJournal.WriteJournal, journal))
 * })
 * ```
 */
export const make = (options: Options = {}): Effect.Effect<WriteJournal.Service, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql): WriteJournal.Service => {
    const table = sql(definition.name(options))
    const now = nowMillis(sql)
    const failed = (cause: SqlError) => new WriteJournal.WriteJournalError({ cause })

    const record = (write: WriteJournal.Write) =>
      sql`
        INSERT INTO ${table} (id, operation, target, request, checksum, cancellations, state, recorded_at)
        VALUES (${write.id}, ${write.operation}, ${write.target}, ${JSON.stringify(write.request)},
          ${write.checksum ?? null}, ${write.cancellations ?? null}, 'pending', ${now})`.pipe(
        Effect.asVoid,
        Effect.mapError(failed)
      )

    const settle = (id: string, settlement: WriteJournal.Settlement) =>
      sql`
        UPDATE ${table} SET state = ${settlement.state}, imp_uid = COALESCE(${settlement.impUid ?? null}, imp_uid),
          settled_at = ${now}
        WHERE id = ${id} AND state IN ('pending', 'unknown')`.pipe(Effect.asVoid, Effect.mapError(failed))

    const pending = sql<Row>`
      SELECT id, operation, target, request, checksum, cancellations, state FROM ${table}
      WHERE state IN ('pending', 'unknown') ORDER BY recorded_at, id`.pipe(
      Effect.map((rows) =>
        rows.map((row): WriteJournal.Entry => ({
          id: row.id,
          operation: row.operation as WriteJournal.Operation,
          target: row.target,
          request: JSON.parse(row.request) as WriteJournal.Write["request"],
          checksum: optionalNumber(row.checksum),
          cancellations: optionalNumber(row.cancellations),
          state: row.state as WriteJournal.Entry["state"]
        }))
      ),
      Effect.mapError(failed)
    )

    return { record, settle, pending }
  })

/**
 * `make` as the `WriteJournal` layer, on the `SqlClient` in context.
 *
 * @category layers
 * @since 0.2.0
 */
export const layer = (options: Options = {}): Layer.Layer<WriteJournal.WriteJournal, never, SqlClient.SqlClient> =>
  Layer.effect(WriteJournal.WriteJournal, make(options))

/**
 * Deletes the settled entries (`confirmed`, `failed`) settled more than `olderThan` ago; open ones are kept.
 * Returns how many were deleted.
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
    return sql<{ id: string }>`
      DELETE FROM ${table} WHERE state IN ('confirmed', 'failed') AND settled_at < ${nowMillis(sql)} - ${cutoff}
      RETURNING id`.pipe(Effect.map((rows) => rows.length))
  })
