/**
 * The emulator service: options resolved, the stores made, webhooks sent in the background, and the
 * controls of `Service` over them.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Api from "../IamportEmulator.js"
import * as App from "./app.js"
import * as Clock from "./clock.js"
import * as Counters from "./counters.js"
import * as Exchange from "./exchange.js"
import * as Faults from "./faults.js"
import * as Handlers from "./handlers.js"
import type { Outcome } from "./outcome.js"
import * as Payments from "./payments.js"
import type { ResolvedOptions, State } from "./state.js"
import * as Tokens from "./tokens.js"
import * as Webhooks from "./webhooks.js"

/** The defaults of `Options` (the public module's constants). */
export interface Defaults {
  readonly apiKey: string
  readonly apiSecret: string
  readonly unauthorizedMessage: string
}

const resolve = (options: Api.Options, defaults: Defaults): ResolvedOptions => {
  const secret = options.apiSecret ?? defaults.apiSecret
  return {
    apiKey: options.apiKey ?? defaults.apiKey,
    apiSecret: Redacted.isRedacted(secret) ? Redacted.value(secret) : secret,
    tokenTtlSeconds: Math.max(1, Math.floor(Duration.toSeconds(Duration.decode(options.tokenTtl ?? "30 minutes")))),
    tiers: new Set(options.tiers ?? []),
    unauthorizedMessage: options.unauthorizedMessage ?? defaults.unauthorizedMessage,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024
  }
}

/** Webhooks as configured, sent one after another by a fiber of the emulator's scope. */
const makeWebhooks = (options: Api.Options) =>
  Effect.gen(function* () {
    const webhooks = yield* Webhooks.make({
      url: options.webhookUrl,
      format: options.webhookFormat ?? "json",
      resends: options.webhookResend ? 5 : 0,
      interval: Duration.decode(options.webhookResendInterval ?? "1 minute"),
      timeout: Duration.seconds(30)
    })
    const events = yield* Queue.unbounded<Webhooks.WebhookEvent>()
    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(events), webhooks.dispatch)))
    return { webhooks, enqueue: (event: Webhooks.WebhookEvent) => void Queue.unsafeOffer(events, event) }
  })

const makeState = (options: Api.Options, defaults: Defaults): Effect.Effect<State, never, Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = resolve(options, defaults)
    const { enqueue, webhooks } = yield* makeWebhooks(options)
    const payments = Payments.make(enqueue)
    const state: State = {
      options: resolved,
      clock: Clock.make(),
      tokens: Tokens.make(resolved.tokenTtlSeconds),
      faults: Faults.make(),
      counters: Counters.make(options.recentLimit ?? 200),
      payments,
      webhooks,
      areas: Handlers.make(payments)
    }
    const start = yield* state.clock.now
    for (const input of options.payments ?? []) payments.seed(input, start)
    return state
  })

/** The payment an admin action produced, if it succeeded. */
const paymentOf = (outcome: Outcome): Option.Option<Api.Payment> =>
  outcome.code === 0 ? Option.some(outcome.response as Api.Payment) : Option.none()

/** The controls of `Service` over the state, and its `app` over `respond`. */
const service = (state: State, respond: Exchange.Respond): Api.Service => {
  const { areas, clock, counters, faults, options, payments, tokens, webhooks } = state
  return {
    app: App.makeApp(respond, options.maxBodyBytes),
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    now: clock.now,
    setTime: clock.setTime,
    advance: (duration) => clock.advanceMillis(Clock.signedMillis(duration)),
    setClockOffset: (offset) => clock.setOffsetMillis(Clock.signedMillis(offset)),
    revokeTokens: Effect.sync(() => tokens.revokeAll()),
    seedPayment: (input = {}) => Effect.map(clock.now, (now) => payments.seed(input, now)),
    payment: (impUid, opts) => Effect.sync(() => Option.fromNullable(payments.get(impUid, opts?.tier))),
    prepared: (merchantUid, opts) =>
      Effect.sync(() => Option.fromNullable(payments.getPrepared(merchantUid, opts?.tier))),
    injectFaults: (fault, opts) => Effect.sync(() => faults.add(fault, opts)),
    clearFaults: Effect.sync(() => faults.clear()),
    counters: Effect.sync(() => counters.snapshot()),
    depositVbank: (impUid, opts) =>
      Effect.map(clock.now, (now) => paymentOf(payments.deposit(opts?.tier, impUid, now))),
    cancelFromConsole: (impUid, opts) =>
      Effect.map(clock.now, (now) =>
        paymentOf(
          payments.consoleCancel(
            opts?.tier,
            {
              imp_uid: impUid,
              ...(opts?.amount !== undefined ? { amount: String(opts.amount) } : {}),
              ...(opts?.reason !== undefined ? { reason: opts.reason } : {})
            },
            now
          )
        )
      ),
    sendWebhook: webhooks.dispatch,
    webhookDeliveries: Effect.sync(() => webhooks.deliveries()),
    billingKey: (customerUid, opts) =>
      Effect.sync(() => Option.fromNullable(areas.billing.key(customerUid, opts?.tier))),
    scheduledPayment: (merchantUid, opts) =>
      Effect.sync(() => Option.fromNullable(areas.billing.schedule(merchantUid, opts?.tier))),
    runDueSchedules: Effect.map(clock.now, (now) => areas.billing.runDue(now)),
    declineCard: (cardNumber, opts) => Effect.sync(() => areas.cards.add(cardNumber, opts?.reason)),
    reset: Effect.sync(() => counters.reset())
  }
}

/** Builds an emulator (see `IamportEmulator.make`). */
export const make = (options: Api.Options, defaults: Defaults): Effect.Effect<Api.Service, never, Scope.Scope> =>
  Effect.map(makeState(options, defaults), (state) => {
    // the `Respond` is attached for the transport, which calls it without the `app`
    const respond = Exchange.make(state)
    return Exchange.attach(service(state, respond), respond)
  })
