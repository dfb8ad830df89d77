/**
 * Reconciliation: every payment i'mport marked paid in a time window, as a `Stream`, against your own records.
 *
 * `Payments.streamByStatus("paid", { from, to })` walks all pages, 1000 payments a page (the API's largest),
 * measuring the window on `paid_at`; a window may span up to 90 days. Reads are retried on transient failures.
 */
import { Payments } from "@effect-iamport/client"
import { DateTime, Effect, Stream } from "effect"

/** What one day's reconciliation found. */
export interface Report {
  readonly count: number
  readonly total: number
  /** Paid at i'mport, unknown to us. */
  readonly unknown: ReadonlyArray<string>
  /** Paid at i'mport with another amount than ours. */
  readonly mismatched: ReadonlyArray<{ readonly merchantUid: string; readonly ours: number; readonly theirs: number }>
}

/** Reconciles the payments paid during the UTC day starting at `day` with `orders` (merchant_uid -> amount). */
export const reconcileDay = (day: DateTime.Utc, orders: ReadonlyMap<string, number>) =>
  Payments.streamByStatus("paid", { from: day, to: DateTime.add(day, { days: 1 }) }).pipe(
    Stream.runFold({ count: 0, total: 0, unknown: [], mismatched: [] } as Report, (report, payment): Report => {
      const ours = orders.get(payment.merchant_uid)
      return {
        count: report.count + 1,
        total: report.total + payment.amount,
        unknown: ours === undefined ? [...report.unknown, payment.merchant_uid] : report.unknown,
        mismatched:
          ours !== undefined && ours !== payment.amount
            ? [...report.mismatched, { merchantUid: payment.merchant_uid, ours, theirs: payment.amount }]
            : report.mismatched
      }
    }),
    Effect.withSpan("reconcile.day", { attributes: { day: DateTime.formatIso(day) } })
  )
