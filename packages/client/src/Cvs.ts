/**
 * Convenience-store payments (barcodes).
 *
 * Operations mirror endpoints, so their request fields are the wire names (snake_case, as the i'mport
 * documentation spells them); UNIX-second fields accept seconds, a `Date` or a `DateTime`. Each is an
 * `Operation.Operation`: reads are retried on transient failures, writes never.
 *
 * The declarations are generated from the spec (`pnpm generate`) into `generated/cvs.ts`.
 *
 * @since 0.2.0
 */
export * from "./generated/cvs.js"
