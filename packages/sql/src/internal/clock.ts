/**
 * The database's own clock, in UNIX milliseconds, as a SQL fragment. Leases and
 * token lifetimes are measured on it, never on an instance's wall clock: the
 * clocks of a fleet's instances differ, the database's is one for all.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"

export const nowMillis = (sql: SqlClient.SqlClient): Statement.Fragment =>
  sql.onDialectOrElse({
    pg: () => sql.literal("(extract(epoch from clock_timestamp()) * 1000)::bigint"),
    mysql: () => sql.literal("CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)"),
    mssql: () => sql.literal("DATEDIFF_BIG(millisecond, '1970-01-01', SYSUTCDATETIME())"),
    // julianday works on every SQLite version (unixepoch('subsec') needs 3.42)
    orElse: () => sql.literal("CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)")
  })

/** A table name as given in options: letters, digits and `_` only, since it is spliced into DDL. */
export const tableName = (name: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`not a table name: ${JSON.stringify(name)}`)
  return name
}

/** A number from a row: drivers return BIGINT as a string (pg) or a bigint. */
export const toNumber = (value: unknown): number => Number(value)
