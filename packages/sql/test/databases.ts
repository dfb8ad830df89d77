/**
 * The databases every store test runs against: SQLite through
 * `@effect/sql-sqlite-node` (a file, so that two clients are two connections)
 * and PostgreSQL through `@effect/sql-pg` at `IAMPORT_TEST_PG_URL` (default: the
 * cluster `scripts/postgres.sh` starts). Each test gets tables of its own; a
 * database that cannot be reached fails the test, it is never skipped.
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

export const pgUrl = process.env.IAMPORT_TEST_PG_URL ?? "postgres://iamport:iamport@127.0.0.1:5432/iamport_test"

/** A database for one test: a connection factory (each call is another client) and table names of its own. */
export interface Fresh {
  readonly connect: () => Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError>
  readonly deliveries: { readonly table: string }
  readonly tokens: { readonly table: string }
}

export interface Database {
  readonly name: "sqlite" | "pg"
  readonly fresh: () => Fresh
}

let tests = 0

const tables = () => {
  const id = `${process.pid}_${Date.now()}_${++tests}`
  return { deliveries: { table: `deliveries_${id}` }, tokens: { table: `tokens_${id}` } }
}

export const databases: ReadonlyArray<Database> = [
  {
    name: "sqlite",
    fresh: () => {
      const filename = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "iamport-sql-")), "test.db")
      return { connect: () => SqliteClient.layer({ filename }), ...tables() }
    }
  },
  {
    name: "pg",
    fresh: () => ({
      connect: () => PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 4, connectTimeout: "5 seconds" }),
      ...tables()
    })
  }
]
