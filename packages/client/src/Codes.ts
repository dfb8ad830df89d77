/**
 * Standard codes of banks and card companies (금융결제원).
 *
 * Operations mirror endpoints, so their request fields are the wire names (snake_case, as the i'mport
 * documentation spells them); UNIX-second fields accept seconds, a `Date` or a `DateTime`. Each is an
 * `Operation.Operation`: reads are retried on transient failures, writes never.
 *
 * The declarations are generated from the spec (`pnpm generate`) into `generated/codes.ts`.
 *
 * @since 0.2.0
 */
export * from "./generated/codes.js"
