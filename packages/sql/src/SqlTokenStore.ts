/**
 * An `IamportAuth.TokenStore` on any `@effect/sql` database: the instances of a
 * fleet (or serverless functions) share one access token, so a cold instance
 * asks i'mport nothing, and a cold fleet asks once.
 *
 * - `get` returns the token with the lifetime it has left, measured on the
 *   database's clock (instances' clocks differ; the database's is one for all).
 * - `set` shares a grant and frees the lock; `unlock` frees it without one.
 * - `lock` is one `INSERT … ON CONFLICT … DO UPDATE … WHERE` statement: of
 *   several instances asking at once, the database lets one ask i'mport.
 *
 * The token is a bearer credential for its 30 minutes: the table belongs in the
 * same database (and under the same access rules) as your orders. Wire it with
 * `IamportClient.layer({ ..., tokenCache: { store } })`.
 *
 * ```sql
 * CREATE TABLE IF NOT EXISTS iamport_tokens (
 *   api_key VARCHAR(200) PRIMARY KEY,
 *   access_token VARCHAR(200),          -- NULL until the first grant
 *   expired_at BIGINT NOT NULL,         -- i'mport's expired_at (UNIX seconds, its clock)
 *   valid_until BIGINT NOT NULL,        -- database-clock ms
 *   lock_until BIGINT NOT NULL          -- database-clock ms
 * )
 * ```
 *
 * @since 0.2.0
 */
import { IamportAuth } from "@effect-iamport/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { nowMillis, toNumber } from "./internal/clock.js"
import * as Table from "./internal/table.js"

/**
 * @category models
 * @since 0.2.0
 */
export interface Options {
  /** Default `iamport_tokens`. */
  readonly table?: string
}

const definition = Table.define(
  "iamport_tokens",
  `  api_key VARCHAR(200) PRIMARY KEY,
  access_token VARCHAR(200),
  expired_at BIGINT NOT NULL,
  valid_until BIGINT NOT NULL,
  lock_until BIGINT NOT NULL`
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
 * import { IamportClient } from "@effect-iamport/client"
 * import { SqlTokenStore } from "@effect-iamport/sql"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const Iamport = Layer.unwrapEffect(
 *   Effect.gen(function* () {
 *     yield* SqlTokenStore.migrate()
 *     const store = yield* SqlTokenStore.make()
 *     return IamportClient.layer({ apiKey: "imp_apikey", apiSecret: Redacted.make("secret"), tokenCache: { store } })
 *   })
 * )
 * ```
 */
export const make = (options: Options = {}): Effect.Effect<IamportAuth.TokenStore, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql): IamportAuth.TokenStore => {
    const table = sql(definition.name(options))
    const now = nowMillis(sql)
    // the message only: the statement's parameters (the token) never reach an error
    const failed = (error: SqlError) => new IamportAuth.TokenStoreError({ description: error.message })

    const get = (key: string) =>
      sql<{ access_token: string; expired_at: unknown; remaining: unknown }>`
        SELECT access_token, expired_at, valid_until - ${now} AS remaining
        FROM ${table} WHERE api_key = ${key} AND access_token IS NOT NULL`.pipe(
        Effect.map((rows) =>
          Option.flatMap(Option.fromNullable(rows[0]), (row) =>
            toNumber(row.remaining) > 0
              ? Option.some<IamportAuth.SharedToken>({
                  accessToken: Redacted.make(row.access_token),
                  expiredAt: toNumber(row.expired_at),
                  remainingMillis: toNumber(row.remaining)
                })
              : Option.none()
          )
        ),
        Effect.mapError(failed)
      )

    const set = (key: string, token: IamportAuth.SharedToken) =>
      sql`
        INSERT INTO ${table} (api_key, access_token, expired_at, valid_until, lock_until)
        VALUES (${key}, ${Redacted.value(token.accessToken)}, ${token.expiredAt},
                ${now} + ${Math.round(token.remainingMillis)}, 0)
        ON CONFLICT (api_key) DO UPDATE
          SET access_token = excluded.access_token, expired_at = excluded.expired_at,
              valid_until = excluded.valid_until, lock_until = 0`.pipe(Effect.asVoid, Effect.mapError(failed))

    const lock = (key: string, lease: Duration.Duration) =>
      sql<{ api_key: string }>`
        INSERT INTO ${table} (api_key, access_token, expired_at, valid_until, lock_until)
        VALUES (${key}, NULL, 0, 0, ${now} + ${Math.max(1, Math.round(Duration.toMillis(lease)))})
        ON CONFLICT (api_key) DO UPDATE SET lock_until = excluded.lock_until
          WHERE ${table}.lock_until <= ${now}
        RETURNING api_key`.pipe(
        Effect.map((rows) => rows.length === 1),
        Effect.mapError(failed)
      )

    const unlock = (key: string) =>
      sql`UPDATE ${table} SET lock_until = 0 WHERE api_key = ${key}`.pipe(Effect.asVoid, Effect.mapError(failed))

    return { get, set, lock, unlock }
  })
