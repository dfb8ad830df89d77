/**
 * KCP Quick Pay (퀵페이): members, prepaid-money and automatic payments, pre-registration.
 *
 * Operations mirror endpoints, so their request fields are the wire names (snake_case, as the i'mport
 * documentation spells them); UNIX-second fields accept seconds, a `Date` or a `DateTime`. Each is an
 * `Operation.Operation`: reads are retried on transient failures, writes never.
 *
 * The declarations are generated from the spec (`pnpm generate`) into `generated/kcpQuick.ts`.
 *
 * @since 0.2.0
 */
export * from "./generated/kcpQuick.js"
