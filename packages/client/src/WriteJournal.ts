/**
 * A durable record of the money writes whose outcome the library confirms itself: cancels (`Payments.cancel`)
 * and charges (`Subscribe.again`, `Subscribe.onetime`). Each write is recorded before it is sent and settled
 * once its outcome is known; a write left open by a process that crashed in between is resolved later by
 * `Payments.reconcilePending`, with the same rules as the in-process confirmation.
 *
 * Optional: provide a `WriteJournal` (e.g. `SqlWriteJournal` of `@effect-iamport/sql`, or `layerMemory` for
 * tests) and every confirming write uses it; without one, writes are still confirmed in process. A charge is
 * recorded without its card data (`merchant_uid`, `amount` and `customer_uid` only): it is only ever looked
 * up, never resent.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

/**
 * The writes a journal records.
 *
 * @category models
 * @since 0.2.0
 */
export type Operation = "cancel" | "again" | "onetime"

/**
 * Where an entry stands: `pending` (recorded, no outcome yet: sent, or about to be), `unknown` (the outcome
 * could not be confirmed yet), `confirmed` (the write happened, or a charge was found declined), `failed`
 * (refused by i'mport: it did not happen).
 *
 * @category models
 * @since 0.2.0
 */
export type State = "pending" | "unknown" | "confirmed" | "failed"

/**
 * What is recorded before a write is sent.
 *
 * @category models
 * @since 0.2.0
 */
export interface Write {
  readonly id: string
  readonly operation: Operation
  /** The payment: its `imp_uid` for a cancel, the charge's `merchant_uid` for a charge. */
  readonly target: string
  /** The request as sent (a cancel's, with `imp_uid` and `checksum`); a charge's without card data. */
  readonly request: { readonly [field: string]: unknown }
  /** A cancel's `checksum`: the balance before it. */
  readonly checksum?: number | undefined
  /** How many cancellations the payment had before the cancel, when it was looked up first. */
  readonly cancellations?: number | undefined
}

/**
 * A recorded write that is not settled yet (`pending` or `unknown`).
 *
 * @category models
 * @since 0.2.0
 */
export interface Entry extends Write {
  readonly state: "pending" | "unknown"
}

/**
 * The outcome a write is settled with, and the payment it concerns when known.
 *
 * @category models
 * @since 0.2.0
 */
export interface Settlement {
  readonly state: "confirmed" | "failed" | "unknown"
  readonly impUid?: string | undefined
}

/**
 * What `Payments.reconcilePending` did with one open entry.
 *
 * @category models
 * @since 0.2.0
 */
export interface Reconciled extends Settlement {
  readonly id: string
  readonly operation: Operation
  readonly target: string
}

/**
 * The journal's storage failed.
 *
 * @category errors
 * @since 0.2.0
 */
export class WriteJournalError extends Schema.TaggedError<WriteJournalError>()("WriteJournalError", {
  cause: Schema.Defect
}) {}

/**
 * A journal: `record` before a write is sent, `settle` once its outcome is known (`unknown` keeps it open),
 * `pending` lists what is still open. A journal that cannot `record` keeps the write from being sent.
 *
 * @category models
 * @since 0.2.0
 */
export interface Service {
  readonly record: (write: Write) => Effect.Effect<void, WriteJournalError>
  /** Settles an open entry; a settled one (`confirmed` or `failed`) is never changed again. */
  readonly settle: (id: string, settlement: Settlement) => Effect.Effect<void, WriteJournalError>
  /** The entries still `pending` or `unknown`, oldest first. */
  readonly pending: Effect.Effect<ReadonlyArray<Entry>, WriteJournalError>
}

/**
 * The journal confirming writes use when it is in context.
 *
 * @category context
 * @since 0.2.0
 */
export class WriteJournal extends Context.Tag("@effect-iamport/client/WriteJournal")<WriteJournal, Service>() {}

/**
 * A journal in memory: for tests, and for `state` to inspect. It does not survive the process.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeMemory = (): Service & {
  /** Every entry with its state, in the order recorded. */
  readonly entries: () => ReadonlyArray<Write & { readonly state: State; readonly impUid?: string | undefined }>
} => {
  const entries = new Map<string, Write & { state: State; impUid?: string | undefined }>()
  return {
    record: (write) => Effect.sync(() => void entries.set(write.id, { ...write, state: "pending" })),
    settle: (id, settlement) =>
      Effect.sync(() => {
        const entry = entries.get(id)
        if (entry === undefined || entry.state === "confirmed" || entry.state === "failed") return
        entry.state = settlement.state
        if (settlement.impUid !== undefined) entry.impUid = settlement.impUid
      }),
    pending: Effect.sync(() =>
      Array.from(entries.values()).flatMap((entry) =>
        entry.state === "pending" || entry.state === "unknown" ? [{ ...entry, state: entry.state }] : []
      )
    ),
    entries: () => Array.from(entries.values(), (entry) => ({ ...entry }))
  }
}

/**
 * A `WriteJournal` in memory (`makeMemory`).
 *
 * @category layers
 * @since 0.2.0
 */
export const layerMemory: Layer.Layer<WriteJournal> = Layer.sync(WriteJournal, makeMemory)
