/**
 * The access-token cache: one token per API key, shared by every request.
 *
 * i'mport hands out one bearer token per key (`POST /users/getToken`), valid 30
 * minutes. Asking again before expiry returns the same token; asking within its
 * last minute extends it by 5 minutes; after expiry a new one is issued. This
 * cache follows those rules:
 *
 * - one getToken for any number of concurrent callers (single flight);
 * - lifetimes from the server's own `expired_at - now`, counted on the local
 *   monotonic clock from when the request was sent, so a client clock that is
 *   minutes off changes nothing;
 * - a proactive refresh only inside the token's last minute (when the server
 *   will extend it), in the background, jittered; none again until expiry if
 *   the answer did not move the expiry;
 * - on a 401, `invalidate` drops the token only if it is still the current one;
 * - transient refresh failures keep the still-valid token and back off; failures
 *   are never cached; bad credentials fail at once;
 * - the refresh runs in the layer's scope: interrupting a waiting caller does not
 *   cancel it for the others, and closing the layer stops it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type { IamportAuthError } from "./IamportError.js"

/**
 * A token as the cache hands it out. `generation` tells two grants apart even
 * when the server returned the same token string.
 *
 * @since 0.1.0
 */
export interface AccessToken {
  readonly value: Redacted.Redacted<string>
  readonly generation: number
  /** When the server will consider it expired, in local monotonic milliseconds. */
  readonly expiresAt: number
  /** The server's `expired_at` (UNIX seconds, server clock). */
  readonly serverExpiredAt: number
}

/**
 * What `POST /users/getToken` answered: the token and the server's `now` and
 * `expired_at` (UNIX seconds on the server's clock).
 *
 * @since 0.1.0
 */
export interface TokenGrant {
  readonly accessToken: Redacted.Redacted<string>
  readonly now: number
  readonly expiredAt: number
}

/**
 * Why the cache asked for a token.
 *
 * @since 0.1.0
 */
export type RefreshReason = "cold" | "proactive" | "expired" | "rejected"

/**
 * @since 0.1.0
 */
export interface Service {
  /** A token that is valid now; waits only when there is none. */
  readonly token: Effect.Effect<AccessToken, IamportAuthError>
  /** Drops `rejected` if it is still the current token (after a 401). */
  readonly invalidate: (rejected: AccessToken) => Effect.Effect<void>
  /** Whether the server-given lifetime of `token` has run out. */
  readonly isExpired: (token: AccessToken) => Effect.Effect<boolean>
}

/**
 * The token cache of an `IamportClient` layer.
 *
 * @since 0.1.0
 */
export class IamportAuth extends Context.Tag("@effect-iamport/client/IamportAuth")<IamportAuth, Service>() {}

/**
 * Tuning of the cache. Every figure has a default that suits i'mport's rules.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Start of the proactive refresh window, before expiry. Default 50 seconds (inside the server's last minute). */
  readonly refreshBefore?: Duration.DurationInput
  /** Width of the random spread after that start. Default 30 seconds (refresh between 50 s and 20 s before expiry). */
  readonly refreshJitter?: Duration.DurationInput
  /** A token this close to expiry is not sent; callers wait for the refresh. Default 5 seconds. */
  readonly expiryMargin?: Duration.DurationInput
  /** Attempts of one refresh on transient failures. Default 3. */
  readonly refreshAttempts?: number
  /** First backoff delay between attempts; doubles, jittered. Default 200 milliseconds. */
  readonly retryBase?: Duration.DurationInput
  /** Longest backoff delay. Default 10 seconds. */
  readonly retryCap?: Duration.DurationInput
}

/**
 * Metrics of every token cache in the process: cache hits, getToken calls by
 * reason (`cold`, `proactive`, `expired`, `rejected`), failed refreshes by
 * reason, and the lifetime of the newest token in seconds.
 *
 * @since 0.1.0
 */
export const metrics = {
  hits: Metric.counter("iamport_token_cache_hits", { description: "token requests served from the cache" }),
  refreshes: Metric.counter("iamport_token_refreshes", { description: "getToken calls, by reason" }),
  failures: Metric.counter("iamport_token_refresh_failures", { description: "failed refreshes, by reason" }),
  secondsUntilExpiry: Metric.gauge("iamport_token_seconds_until_expiry", {
    description: "lifetime left of the newest token"
  })
} as const

interface Entry {
  readonly token: AccessToken
  /** Local monotonic ms at which a call starts a background refresh; Infinity for none. */
  readonly refreshAt: number
}

interface State {
  readonly current: Entry | undefined
  readonly inflight: Deferred.Deferred<AccessToken, IamportAuthError> | undefined
  readonly failures: number
  /** The last token was dropped after a 401. */
  readonly rejected: boolean
}

/**
 * Local monotonic time in milliseconds. `TestClock` cannot report nanoseconds
 * once a jittered (fractional) sleep has moved it, so fall back to its
 * milliseconds then.
 */
const monotonicMillis = (clock: Clock.Clock): number => {
  try {
    return Number(clock.unsafeCurrentTimeNanos() / 1_000_000n)
  } catch {
    return clock.unsafeCurrentTimeMillis()
  }
}

/**
 * Builds a cache around `issue`, the effect that asks the API for a token.
 * The cache's refreshes run in the scope the result is built in.
 *
 * @since 0.1.0
 * @example
 * ```ts
 * import { IamportAuth } from "@effect-iamport/client"
 * import { Effect, Redacted } from "effect"
 *
 * const auth = IamportAuth.make(
 *   Effect.succeed({ accessToken: Redacted.make("t"), now: 0, expiredAt: 1800 })
 * )
 * ```
 */
export const make = (
  issue: Effect.Effect<TokenGrant, IamportAuthError>,
  options: Options = {}
): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function* () {
    const refreshBefore = Duration.toMillis(options.refreshBefore ?? Duration.seconds(50))
    const refreshJitter = Duration.toMillis(options.refreshJitter ?? Duration.seconds(30))
    const expiryMargin = Duration.toMillis(options.expiryMargin ?? Duration.seconds(5))
    const retryBase = Duration.toMillis(options.retryBase ?? Duration.millis(200))
    const retryCap = Duration.toMillis(options.retryCap ?? Duration.seconds(10))
    const attempts = Math.max(1, options.refreshAttempts ?? 3)

    const scope = yield* Effect.scope
    // The caller's clock (TestClock in tests; the refresh fiber inherits it from the caller that started it).
    const nowMillis = Effect.clockWith((clock) => Effect.sync(() => monotonicMillis(clock)))
    const state = yield* Ref.make<State>({ current: undefined, inflight: undefined, failures: 0, rejected: false })
    const lock = yield* Effect.makeSemaphore(1)
    let generation = 0

    const backoff = (failures: number) =>
      Effect.map(Random.next, (r) => Math.min(retryCap, retryBase * 2 ** failures) * (0.5 + r / 2))

    const retrying = Schedule.exponential(Duration.millis(retryBase)).pipe(
      Schedule.jittered,
      Schedule.modifyDelay((delay) => Duration.min(delay, Duration.millis(retryCap))),
      Schedule.intersect(Schedule.recurs(attempts - 1))
    )

    const fetch = Effect.gen(function* () {
      const sentAt = yield* nowMillis
      const grant = yield* issue.pipe(
        Effect.retry({ schedule: retrying, while: (error) => error._tag === "IamportTransportError" })
      )
      return { sentAt, grant }
    })

    /** Turns a grant into the next cache entry; `previous` is the token it replaces. */
    const entryFor = (sentAt: number, grant: TokenGrant, previous: AccessToken | undefined) =>
      Effect.map(Random.next, (r): Entry => {
        const expiresAt = sentAt + (grant.expiredAt - grant.now) * 1000
        const moved =
          previous === undefined ||
          grant.expiredAt > previous.serverExpiredAt ||
          Redacted.value(grant.accessToken) !== Redacted.value(previous.value)
        return {
          token: { value: grant.accessToken, generation: ++generation, expiresAt, serverExpiredAt: grant.expiredAt },
          refreshAt: moved ? expiresAt - refreshBefore + r * refreshJitter : Number.POSITIVE_INFINITY
        }
      })

    const refresh = (reason: RefreshReason, deferred: Deferred.Deferred<AccessToken, IamportAuthError>) =>
      Effect.gen(function* () {
        const previous = (yield* Ref.get(state)).current?.token
        const { grant, sentAt } = yield* fetch
        const entry = yield* entryFor(sentAt, grant, previous)
        yield* Ref.update(state, (s) => ({ ...s, current: entry, failures: 0, rejected: false }))
        yield* Metric.set(metrics.secondsUntilExpiry, grant.expiredAt - grant.now)
        return entry.token
      }).pipe(
        Effect.tapError(() =>
          Effect.gen(function* () {
            const now = yield* nowMillis
            const s = yield* Ref.get(state)
            const delay = yield* backoff(s.failures)
            // Keep a still-valid token; try again in the background after a backoff.
            const current = s.current && { ...s.current, refreshAt: now + delay }
            yield* Ref.set(state, { ...s, current, failures: s.failures + 1 })
            yield* Metric.increment(Metric.tagged(metrics.failures, "reason", reason))
          })
        ),
        Effect.withSpan("IamportAuth.refresh", { attributes: { reason }, captureStackTrace: false }),
        Effect.exit,
        // Whatever the outcome (a token, a failure, a defect), the waiters get it and the next caller
        // may start a new refresh: nothing is cached, and nothing hangs on a refresh that is gone.
        Effect.flatMap((exit) => Effect.zipRight(clearInflight(deferred), Deferred.done(deferred, exit))),
        Effect.onInterrupt(() => Effect.zipRight(clearInflight(deferred), Deferred.interrupt(deferred)))
      )

    const clearInflight = (deferred: Deferred.Deferred<AccessToken, IamportAuthError>) =>
      Ref.update(state, (s) => (s.inflight === deferred ? { ...s, inflight: undefined } : s))

    /**
     * Starts a refresh. Runs under the lock and uninterruptibly, so that `inflight`
     * is never set without the fiber that will complete it.
     */
    const begin = (s: State, reason: RefreshReason) =>
      Effect.gen(function* () {
        const deferred = yield* Deferred.make<AccessToken, IamportAuthError>()
        yield* Ref.set(state, { ...s, inflight: deferred })
        yield* Metric.increment(Metric.tagged(metrics.refreshes, "reason", reason))
        // forked from an uninterruptible region: make the refresh itself interruptible again (layer close)
        yield* Effect.forkIn(Effect.interruptible(refresh(reason, deferred)), scope)
        return deferred
      }).pipe(Effect.uninterruptible)

    /**
     * Joins the refresh under way or starts one, in one atomic step. Returns
     * `undefined` when no refresh is needed any more (another caller did it).
     */
    const startRefresh = (reason: RefreshReason, seen: number | undefined) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const s = yield* Ref.get(state)
          if (s.inflight !== undefined) return s.inflight
          if (s.current !== undefined && s.current.token.generation !== seen) {
            const now = yield* nowMillis
            if (now < s.current.token.expiresAt - expiryMargin) return undefined
          }
          return yield* begin(s, reason)
        })
      )

    const waitForToken = (
      reason: RefreshReason,
      seen: number | undefined
    ): Effect.Effect<AccessToken, IamportAuthError> =>
      Effect.flatMap(startRefresh(reason, seen), (deferred) =>
        deferred === undefined ? token : Deferred.await(deferred)
      ).pipe(Effect.withSpan("IamportAuth.token", { attributes: { reason }, captureStackTrace: false }))

    // The hot path: the state and the caller's clock, each read once.
    const token: Effect.Effect<AccessToken, IamportAuthError> = Effect.clockWith((clock) =>
      Effect.flatMap(Ref.get(state), (s) => tokenAt(s, monotonicMillis(clock)))
    )

    const tokenAt = (s: State, now: number): Effect.Effect<AccessToken, IamportAuthError> => {
      const entry = s.current
      if (entry === undefined) return waitForToken(s.rejected ? "rejected" : "cold", undefined)
      if (now >= entry.token.expiresAt - expiryMargin) return waitForToken("expired", entry.token.generation)
      metrics.hits.unsafeUpdate(1, [])
      const hit = Effect.succeed(entry.token)
      if (now < entry.refreshAt || s.inflight !== undefined) return hit
      return Effect.zipRight(proactive(entry.token.generation), hit)
    }

    /** Starts a background refresh unless another caller already did. */
    const proactive = (seen: number) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const s = yield* Ref.get(state)
          const now = yield* nowMillis
          if (s.inflight !== undefined || s.current?.token.generation !== seen || now < s.current.refreshAt) return
          yield* begin(s, "proactive")
        })
      )

    const invalidate = (rejected: AccessToken) =>
      Ref.update(state, (s) =>
        s.current?.token.generation === rejected.generation ? { ...s, current: undefined, rejected: true } : s
      ).pipe(lock.withPermits(1))

    const isExpired = (t: AccessToken) => Effect.map(nowMillis, (now) => now >= t.expiresAt)

    return IamportAuth.of({ token, invalidate, isExpired })
  })
