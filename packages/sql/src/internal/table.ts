/**
 * A store's one table: its name (the default, or the one given in options) and
 * its one `CREATE TABLE IF NOT EXISTS` statement, run by `migrate`.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { tableName } from "./clock.js"

export interface TableOptions {
  readonly table?: string
}

export interface Table {
  /** The table's name for these options. */
  readonly name: (options: TableOptions) => string
  readonly ddl: (options?: TableOptions) => string
  readonly migrate: (options?: TableOptions) => Effect.Effect<void, SqlError, SqlClient.SqlClient>
}

/** A table named `defaultName` unless the options say otherwise, with these column definitions. */
export const define = (defaultName: string, columns: string): Table => {
  const name = (options: TableOptions) => tableName(options.table ?? defaultName)
  const ddl = (options: TableOptions = {}) => `CREATE TABLE IF NOT EXISTS ${name(options)} (\n${columns}\n)`
  return {
    name,
    ddl,
    migrate: (options = {}) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(ddl(options)).pipe(Effect.asVoid))
  }
}
