/**
 * Writes that confirm themselves. When a cancel or a charge loses its answer (a timeout, a dropped connection,
 * a 5xx: `IamportTransportError` with `mayHaveBeenProcessed`), the payment is looked up on the read path:
 *
 * - a cancel carries `checksum` (the balance before it), so the look-up tells whether it happened (the balance
 *   fell by its amount, with one more cancellation), did not (the balance is the checksum: it is resent once,
 *   with the same checksum, so a late first request and the resend cannot both take effect), or cannot tell
 *   (the balance moved otherwise);
 * - a charge is found by `merchant_uid`, never resent: i'mport is not documented to refuse a second payment
 *   for a paid `merchant_uid`, and a look-up can miss a first request still being processed.
 *
 * Whatever is left unresolved fails with the original `IamportTransportError`, its description saying what
 * was tried. Each reconciliation is counted (`iamport_write_reconciliations`) and marked on the current span;
 * with a `WriteJournal` in context, each write is recorded before it is sent and settled after.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberId from "effect/FiberId"
import * as Metric from "effect/Metric"
import * as MetricLabel from "effect/MetricLabel"
import * as Option from "effect/Option"
import { IamportClient } from "../IamportClient.js"
import { type IamportError, IamportTransportError } from "../IamportError.js"
import type { Payment } from "../Payment.js"
import type { CancelRequest } from "../Payments.js"
import * as WriteJournal from "../WriteJournal.js"
import * as KeyedLock from "./keyedLock.js"

type Client = IamportClient

/** How a reconciliation ended. */
export type Outcome = "confirmed" | "resent" | "not_found" | "unknown"

/** Reconciliations of writes whose answer was lost, by operation and outcome. */
export const reconciliations = Metric.counter("iamport_write_reconciliations", {
  description: "writes whose answer was lost, resolved by a look-up: by operation and outcome"
})

/** The look-ups and the raw cancel the confirmation runs on (the `Payments` operations). */
export interface Ports {
  /** `GET /payments/{imp_uid}`, test-channel payments included. */
  readonly getPayment: (impUid: string) => Effect.Effect<Payment, IamportError, Client>
  /** `GET /payments/find/{merchant_uid}`, optionally in one status. */
  readonly findByMerchantUid: (merchantUid: string, status?: "paid") => Effect.Effect<Payment, IamportError, Client>
  /** `POST /payments/cancel`, sent once as given. */
  readonly cancel: (request: CancelRequest) => Effect.Effect<Payment, IamportError, Client>
}

const cancelEndpoint = "POST /payments/cancel"

const chargeEndpoints = {
  again: "POST /subscribe/payments/again",
  onetime: "POST /subscribe/payments/onetime"
} as const

/** An answer lost after the request may have been processed: the case confirmation resolves. */
const lostAnswer = (error: IamportError): error is IamportTransportError =>
  error._tag === "IamportTransportError" && error.mayHaveBeenProcessed

/** The lost answer's error, its description extended with what the confirmation tried. */
const unresolved = (error: IamportTransportError, tried: string): IamportTransportError =>
  new IamportTransportError({ ...error, description: error.description ? `${error.description}; ${tried}` : tried })

/** Counts a reconciliation and adds an event to the current span, if any. */
const reconciled = (operation: WriteJournal.Operation, outcome: Outcome, sent: number) =>
  Effect.zipRight(
    Metric.increment(
      Metric.taggedWithLabels(reconciliations, [
        MetricLabel.make("operation", operation),
        MetricLabel.make("outcome", outcome)
      ])
    ),
    Effect.option(Effect.currentSpan).pipe(
      Effect.flatMap(
        Option.match({
          onNone: () => Effect.void,
          onSome: (span) =>
            Effect.map(Clock.currentTimeNanos, (now) =>
              span.event("iamport.write.reconciled", now, {
                "iamport.write.operation": operation,
                "iamport.write.outcome": outcome,
                "iamport.write.sent": sent
              })
            )
        })
      )
    )
  )

// ---------------------------------------------------------------------------------------------------------
// Journal
// ---------------------------------------------------------------------------------------------------------

type Journal = Option.Option<WriteJournal.Service>

/** Records the write before it is sent; a journal that cannot record keeps it from being sent. */
const record = (journal: Journal, endpoint: string, write: Omit<WriteJournal.Write, "id">) =>
  Option.match(journal, {
    onNone: () => Effect.succeed(undefined),
    onSome: (service) => {
      const id = crypto.randomUUID()
      return service.record({ id, ...write }).pipe(
        Effect.as(id),
        Effect.mapError(
          () =>
            new IamportTransportError({
              endpoint,
              reason: "Connection",
              mayHaveBeenProcessed: false,
              description: "not sent: the write journal could not record it"
            })
        )
      )
    }
  })

/** The state a write's result settles its entry in. */
const settlementOf = (result: Either.Either<Payment, IamportError>): WriteJournal.Settlement =>
  Either.match(result, {
    onRight: (payment) => ({ state: "confirmed", impUid: payment.imp_uid }),
    onLeft: (error) => ({ state: lostAnswer(error) ? "unknown" : "failed" })
  })

/** Settles the entry with the write's result; a journal that cannot settle leaves it open for `reconcilePending`. */
const settled =
  (journal: Journal, id: string | undefined) =>
  <R>(write: Effect.Effect<Payment, IamportError, R>): Effect.Effect<Payment, IamportError, R> =>
    Option.isNone(journal) || id === undefined
      ? write
      : Effect.tap(Effect.either(write), (result) =>
          journal.value
            .settle(id, settlementOf(result))
            .pipe(
              Effect.catchAll((error) =>
                Effect.logWarning("iamport: the write journal could not settle a write; it stays open", error)
              )
            )
        ).pipe(Effect.flatMap((result) => result))

// ---------------------------------------------------------------------------------------------------------
// Cancels
// ---------------------------------------------------------------------------------------------------------

/** A guarded cancel: the request as sent (with `imp_uid` and `checksum`) and what to compare a look-up with. */
interface CancelPlan {
  readonly request: CancelRequest
  readonly checksum: number
  /** Cancellations before the cancel, when the payment was looked up first. */
  readonly cancellations: number | undefined
}

/** Float noise between two amounts of money, well under any currency's minor unit. */
const sameAmount = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6

/** The amount the cancel takes: the one requested, or the whole balance for a full cancel. */
const cancelledAmount = (plan: CancelPlan): number =>
  plan.request.amount === undefined || plan.request.amount === 0 ? plan.checksum : plan.request.amount

/** What a look-up says about the cancel. */
const classify = (plan: CancelPlan, payment: Payment): "happened" | "not_happened" | "moved" => {
  const balance = payment.cancellableAmount
  const history = payment.cancel_history
  if (sameAmount(balance, plan.checksum) && (plan.cancellations ?? history.length) === history.length) {
    return "not_happened"
  }
  const amount = cancelledAmount(plan)
  const oneMore =
    plan.cancellations === undefined
      ? history.length > 0 && sameAmount(history[history.length - 1]!.amount, amount)
      : history.length === plan.cancellations + 1
  return sameAmount(balance, plan.checksum - amount) && oneMore ? "happened" : "moved"
}

const lookUpCancel = (ports: Ports, plan: CancelPlan) =>
  plan.request.imp_uid !== undefined
    ? ports.getPayment(plan.request.imp_uid)
    : ports.findByMerchantUid(plan.request.merchant_uid!)

/**
 * Resolves a cancel whose answer was lost: confirmed when the look-up shows it happened; resent once (same
 * checksum) when it shows it did not, then looked up once more if the resend fails too; anything else is
 * `lost`, extended with what was tried.
 */
const resolveCancel = (
  ports: Ports,
  plan: CancelPlan,
  lost: IamportTransportError
): Effect.Effect<Payment, IamportTransportError, Client> =>
  Effect.gen(function* () {
    const first = yield* Effect.either(lookUpCancel(ports, plan))
    if (Either.isLeft(first)) {
      yield* reconciled("cancel", "unknown", 1)
      return yield* Effect.fail(unresolved(lost, `looked the payment up afterwards: the look-up failed too`))
    }
    const seen = classify(plan, first.right)
    if (seen === "happened") {
      yield* reconciled("cancel", "confirmed", 1)
      return first.right
    }
    if (seen === "moved") {
      yield* reconciled("cancel", "unknown", 1)
      return yield* Effect.fail(
        unresolved(lost, "looked the payment up afterwards: its balance had been changed by another cancel")
      )
    }
    // not processed: the same request once more; with the same checksum, at most one of the two can succeed
    const resent = yield* Effect.either(ports.cancel(plan.request))
    if (Either.isRight(resent)) {
      yield* reconciled("cancel", "resent", 2)
      return resent.right
    }
    const second = yield* Effect.either(lookUpCancel(ports, plan))
    if (Either.isRight(second) && classify(plan, second.right) === "happened") {
      yield* reconciled("cancel", "resent", 2)
      return second.right
    }
    yield* reconciled("cancel", "unknown", 2)
    const why = resent.left._tag === "IamportApiError" ? `refused with code ${resent.left.code}` : "lost its answer too"
    return yield* Effect.fail(
      unresolved(lost, `looked the payment up afterwards: not cancelled; resent once, which ${why}`)
    )
  })

/** The cancel as it will be sent: the caller's checksum, or the balance of a fresh look-up (none: unguarded). */
const planCancel = (
  ports: Ports,
  request: CancelRequest
): Effect.Effect<Option.Option<CancelPlan>, IamportError, Client> => {
  if (request.checksum !== undefined) {
    return Effect.succeed(Option.some({ request, checksum: request.checksum, cancellations: undefined }))
  }
  const payment =
    request.imp_uid !== undefined
      ? ports.getPayment(request.imp_uid)
      : ports.findByMerchantUid(request.merchant_uid!, "paid")
  return payment.pipe(
    Effect.map((found) =>
      Option.some({
        request: { ...request, imp_uid: found.imp_uid, checksum: found.cancellableAmount },
        checksum: found.cancellableAmount,
        cancellations: found.cancel_history.length
      })
    ),
    // nothing to look up: sent as given, for i'mport to answer (usually "nothing to cancel")
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed(Option.none()))
  )
}

/** Cancels of one payment, one at a time per client. */
const cancelLocks = KeyedLock.perOwner()

const withCancelLock =
  (request: CancelRequest) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Client> =>
    Effect.flatMap(IamportClient, (client) => cancelLocks(client).withLock(cancelTarget(request))(self))

const cancelTarget = (request: CancelRequest): string =>
  request.imp_uid !== undefined ? request.imp_uid : `merchant_uid:${request.merchant_uid}`

const recordCancel = (journal: Journal, plan: CancelPlan) =>
  record(journal, cancelEndpoint, {
    operation: "cancel",
    target: plan.request.imp_uid ?? plan.request.merchant_uid!,
    request: plan.request,
    checksum: plan.checksum,
    cancellations: plan.cancellations
  })

/**
 * A cancel that confirms itself. Identical concurrent cancels share one call; cancels of one payment run one
 * at a time per client (each with the balance of its own look-up as checksum).
 */
export const cancel = (ports: Ports, request: CancelRequest): Effect.Effect<Payment, IamportError, Client> =>
  coalesce(
    `cancel:${canonical(request)}`,
    withCancelLock(request)(
      Effect.gen(function* () {
        const planned = yield* planCancel(ports, request)
        if (Option.isNone(planned)) return yield* ports.cancel(request)
        const plan = planned.value
        const journal = yield* Effect.serviceOption(WriteJournal.WriteJournal)
        const id = yield* recordCancel(journal, plan)
        return yield* ports.cancel(plan.request).pipe(
          Effect.catchIf(lostAnswer, (lost) => resolveCancel(ports, plan, lost)),
          settled(journal, id)
        )
      })
    )
  )

// ---------------------------------------------------------------------------------------------------------
// Charges
// ---------------------------------------------------------------------------------------------------------

/** A look-up by `merchant_uid`. */
type Find = (merchantUid: string) => Effect.Effect<Payment, IamportError, Client>

/** The fields of a charge that identify it; card data is never kept. */
export type Charge = {
  readonly merchant_uid: string
  readonly amount: number
  readonly customer_uid?: string | undefined
}

/** Resolves a charge whose answer was lost by its `merchant_uid`: found (paid, or declined), or `lost`. */
const resolveCharge = (
  find: Find,
  operation: "again" | "onetime",
  charge: Charge,
  lost: IamportTransportError
): Effect.Effect<Payment, IamportTransportError, Client> =>
  Effect.gen(function* () {
    const found = yield* Effect.either(find(charge.merchant_uid))
    if (Either.isRight(found) && sameAmount(found.right.amount, charge.amount)) {
      yield* reconciled(operation, "confirmed", 1)
      return found.right
    }
    const notFound = Either.isLeft(found) && found.left._tag === "IamportNotFoundError"
    yield* reconciled(operation, notFound ? "not_found" : "unknown", 1)
    return yield* Effect.fail(
      unresolved(
        lost,
        notFound
          ? "looked up by merchant_uid afterwards: not found yet (a request still in flight may be processed later; not resent)"
          : Either.isLeft(found)
            ? "looked up by merchant_uid afterwards: the look-up failed too"
            : "looked up by merchant_uid afterwards: found a payment of another amount"
      )
    )
  })

/** A charge that confirms itself by `merchant_uid` when its answer is lost. */
export const charge =
  <R extends Charge>(
    find: Find,
    operation: "again" | "onetime",
    send: (request: R) => Effect.Effect<Payment, IamportError, Client>
  ) =>
  (request: R): Effect.Effect<Payment, IamportError, Client> =>
    Effect.gen(function* () {
      const journal = yield* Effect.serviceOption(WriteJournal.WriteJournal)
      const id = yield* record(journal, chargeEndpoints[operation], {
        operation,
        target: request.merchant_uid,
        request: chargeFields(request)
      })
      return yield* send(request).pipe(
        Effect.catchIf(lostAnswer, (lost) => resolveCharge(find, operation, request, lost)),
        settled(journal, id)
      )
    })

/** What the journal keeps of a charge. */
const chargeFields = (request: Charge): Charge => ({
  merchant_uid: request.merchant_uid,
  amount: request.amount,
  ...(request.customer_uid !== undefined ? { customer_uid: request.customer_uid } : {})
})

// ---------------------------------------------------------------------------------------------------------
// Reconciling a journal
// ---------------------------------------------------------------------------------------------------------

/** The error an entry left open by an earlier process is resolved against. */
const leftOpen = (endpoint: string) =>
  new IamportTransportError({
    endpoint,
    reason: "Connection",
    mayHaveBeenProcessed: true,
    description: "left open in the write journal"
  })

/** Resolves one open entry with the rules above (a cancel may be resent once; a charge only looked up). */
const reconcileEntry = (ports: Ports, entry: WriteJournal.Entry): Effect.Effect<Payment, IamportError, Client> => {
  if (entry.operation === "cancel") {
    const request = entry.request as CancelRequest
    if (entry.checksum === undefined) return Effect.fail(leftOpen(cancelEndpoint))
    const plan: CancelPlan = { request, checksum: entry.checksum, cancellations: entry.cancellations }
    return withCancelLock(request)(resolveCancel(ports, plan, leftOpen(cancelEndpoint)))
  }
  return resolveCharge(
    (merchantUid) => ports.findByMerchantUid(merchantUid),
    entry.operation,
    entry.request as unknown as Charge,
    leftOpen(chargeEndpoints[entry.operation])
  )
}

/** Resolves every open entry of the journal in context, one at a time, and settles it. */
export const reconcilePending = (
  ports: Ports
): Effect.Effect<
  ReadonlyArray<WriteJournal.Reconciled>,
  WriteJournal.WriteJournalError,
  Client | WriteJournal.WriteJournal
> =>
  Effect.gen(function* () {
    const journal = yield* WriteJournal.WriteJournal
    const entries = yield* journal.pending
    return yield* Effect.forEach(entries, (entry) =>
      Effect.gen(function* () {
        const settlement = settlementOf(yield* Effect.either(reconcileEntry(ports, entry)))
        yield* journal.settle(entry.id, settlement)
        return { id: entry.id, operation: entry.operation, target: entry.target, ...settlement }
      })
    )
  })

// ---------------------------------------------------------------------------------------------------------
// Coalescing
// ---------------------------------------------------------------------------------------------------------

/** In-flight calls by client (two clients in one process never share one) and key. */
const inFlight = new WeakMap<object, Map<string, Deferred.Deferred<Payment, IamportError>>>()

/** Runs `call` once for concurrent callers with the same key on the same client: they all get its result. */
const coalesce = (
  key: string,
  call: Effect.Effect<Payment, IamportError, Client>
): Effect.Effect<Payment, IamportError, Client> =>
  Effect.flatMap(IamportClient, (client) =>
    Effect.suspend(() => {
      let calls = inFlight.get(client)
      if (calls === undefined) {
        calls = new Map()
        inFlight.set(client, calls)
      }
      const running = calls.get(key)
      if (running !== undefined) return Deferred.await(running)
      const deferred = Deferred.unsafeMake<Payment, IamportError>(FiberId.none)
      const owned = calls
      owned.set(key, deferred)
      return Effect.onExit(call, (exit) =>
        Effect.zipRight(
          Effect.sync(() => owned.delete(key)),
          Deferred.done(deferred, exit)
        )
      )
    })
  )

/** A value as JSON with its object keys sorted, so that two equal requests give one key. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
