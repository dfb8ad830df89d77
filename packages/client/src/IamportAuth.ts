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
 *   cancel it for the others, and closing the layer stops it;
 * - with a `TokenStore` shared by several instances (a fleet, serverless
 *   functions, Workers), the cache reads the shared token before it asks
 *   i'mport, takes the store's lock so that one instance asks for all, and
 *   shares the grant after. A store that fails never fails a call: the cache
 *   asks i'mport itself, and counts the failure.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type { IamportAuthError } from "./IamportError.js"
import { warmTokens } from "./internal/warmToken.js"

/**
 * A token as the cache hands it out. `generation` tells two grants apart even
 * when the server returned the same token string.
 *
 * @category models
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
 * @category models
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
 * @category models
 * @since 0.1.0
 */
export type RefreshReason = "cold" | "proactive" | "expired" | "rejected"

/**
 * A token as a `TokenStore` shares it. Its lifetime is measured by the store
 * (`remainingMillis`, on the store's own clock: a database's, or the process's
 * for an in-memory store), never by an instance's wall clock, since the clocks of
 * a fleet's instances differ.
 *
 * @category models
 * @since 0.1.0
 */
export interface SharedToken {
  readonly accessToken: Redacted.Redacted<string>
  /** The server's `expired_at` (UNIX seconds, i'mport's clock). */
  readonly expiredAt: number
  /** Lifetime left, in milliseconds, when the token was read (or is written). */
  readonly remainingMillis: number
}

/**
 * A `TokenStore` could not be read or written. The cache never fails a call for
 * it: it asks i'mport itself and counts the failure in `metrics.storeFailures`.
 *
 * @category errors
 * @since 0.1.0
 */
export class TokenStoreError extends Schema.TaggedError<TokenStoreError>()("TokenStoreError", {
  description: Schema.String
}) {
  override get message(): string {
    return `the token store failed: ${this.description}`
  }
}

/**
 * Where instances share the access token of one API key (`key`): the cache
 * reads it before asking i'mport and writes each grant after.
 *
 * - `get` returns the shared token with the lifetime it has left, if any.
 * - `set` shares a grant (and frees the lock).
 * - `unlock` frees the lock without a grant (the ask failed, or the token
 *   was there after all).
 * - `lock` takes, for `lease`, the right to ask i'mport on behalf of every
 *   instance: `false` while another instance holds it. Two instances asking at
 *   once must get one `true`: the store decides, not a read-then-write.
 *
 * Hold plain values only (no promises or fibers): that is what makes a store
 * safe to share across requests on Cloudflare Workers.
 *
 * @category models
 * @since 0.1.0
 */
export interface TokenStore {
  readonly get: (key: string) => Effect.Effect<Option.Option<SharedToken>, TokenStoreError>
  readonly set: (key: string, token: SharedToken) => Effect.Effect<void, TokenStoreError>
  readonly lock: (key: string, lease: Duration.Duration) => Effect.Effect<boolean, TokenStoreError>
  readonly unlock: (key: string) => Effect.Effect<void, TokenStoreError>
}

/**
 * A `TokenStore` in this process's memory, on Effect's `Clock`. Share one
 * between client layers that are built per request (Cloudflare Workers: create
 * it at isolate level), so that only the first request asks i'mport.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { IamportAuth, IamportClient } from "@effect-iamport/client"
 * import { Redacted } from "effect"
 *
 * const tokens = IamportAuth.memoryTokenStore() // once, outside the request handler
 * const perRequest = IamportClient.layer({
 *   apiKey: "imp_apikey",
 *   apiSecret: Redacted.make("secret"),
 *   tokenCache: { store: tokens }
 * })
 * ```
 */
export const memoryTokenStore = (): TokenStore => {
  const tokens = new Map<
    string,
    { readonly accessToken: Redacted.Redacted<string>; readonly expiredAt: number; readonly until: number }
  >()
  const locks = new Map<string, number>()
  const now = Clock.currentTimeMillis
  return {
    get: (key) =>
      Effect.map(now, (at) =>
        Option.flatMap(Option.fromNullable(tokens.get(key)), (t) =>
          t.until > at
            ? Option.some({ accessToken: t.accessToken, expiredAt: t.expiredAt, remainingMillis: t.until - at })
            : Option.none()
        )
      ),
    set: (key, token) =>
      Effect.map(now, (at) => {
        tokens.set(key, {
          accessToken: token.accessToken,
          expiredAt: token.expiredAt,
          until: at + token.remainingMillis
        })
        locks.delete(key)
      }),
    lock: (key, lease) =>
      Effect.map(now, (at) => {
        if ((locks.get(key) ?? 0) > at) return false
        locks.set(key, at + Duration.toMillis(lease))
        return true
      }),
    unlock: (key) => Effect.sync(() => void locks.delete(key))
  }
}

/**
 * @category models
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
 * @category context
 * @since 0.1.0
 */
export class IamportAuth extends Context.Tag("@effect-iamport/client/IamportAuth")<IamportAuth, Service>() {}

/**
 * Tuning of the cache. Every figure has a default that suits i'mport's rules.
 *
 * @category models
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
  /** A store shared with other instances (see `TokenStore`). Default: none, this cache only. */
  readonly store?: TokenStore | undefined
  /** The key of this cache's token in `store`. The client layers set it to the API key. */
  readonly storeKey?: string | undefined
  /**
   * How long an instance may ask i'mport for everyone before the others stop waiting for the shared
   * token and ask themselves. Default 5 seconds.
   */
  readonly storeLockLease?: Duration.DurationInput
}

/**
 * Metrics of every token cache in the process: cache hits, getToken calls by
 * reason (`cold`, `proactive`, `expired`, `rejected`), failed refreshes by
 * reason, and the lifetime of the newest token in seconds.
 *
 * @category observability
 * @since 0.1.0
 */
export const metrics = {
  hits: Metric.counter("iamport_token_cache_hits", { description: "token requests served from the cache" }),
  refreshes: Metric.counter("iamport_token_refreshes", { description: "getToken calls, by reason" }),
  failures: Metric.counter("iamport_token_refresh_failures", { description: "failed refreshes, by reason" }),
  secondsUntilExpiry: Metric.gauge("iamport_token_seconds_until_expiry", {
    description: "lifetime left of the newest token"
  }),
  shared: Metric.counter("iamport_token_store_hits", {
    description: "tokens taken from the shared token store instead of i'mport"
  }),
  storeFailures: Metric.counter("iamport_token_store_failures", {
    description: "token store reads and writes that failed (i'mport was asked instead)"
  })
} as const

interface Entry {
  readonly token: AccessToken
  /** Local monotonic ms at which a call starts a background refresh; Infinity for none. */
  readonly refreshAt: number
}

/** A token and its lifetime on this cache's clock, from i'mport or from the store. */
interface Fresh {
  readonly accessToken: Redacted.Redacted<string>
  readonly serverExpiredAt: number
  /** Local monotonic ms. */
  readonly expiresAt: number
}

interface State {
  readonly current: Entry | undefined
  readonly inflight: Deferred.Deferred<AccessToken, IamportAuthError> | undefined
  readonly failures: number
  /** The last token, dropped after a 401. */
  readonly rejected: AccessToken | undefined
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
 * @category constructors
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
    const storeKey = options.storeKey ?? "default"
    const storeLockLease = Duration.decode(options.storeLockLease ?? Duration.seconds(5))

    const scope = yield* Effect.scope
    // The caller's clock (TestClock in tests; the refresh fiber inherits it from the caller that started it).
    const nowMillis = Effect.clockWith((clock) => Effect.sync(() => monotonicMillis(clock)))
    const initial: State = { current: undefined, inflight: undefined, failures: 0, rejected: undefined }
    const state = yield* Ref.make<State>(initial)
    // The same state for the synchronous hot path (`warmToken`): written inside each update of `state`.
    let snapshot = initial
    const update = (f: (s: State) => State): Effect.Effect<void> => Ref.update(state, (s) => (snapshot = f(s)))
    const lock = yield* Effect.makeSemaphore(1)
    let generation = 0

    const backoff = (failures: number) =>
      Effect.map(Random.next, (r) => Math.min(retryCap, retryBase * 2 ** failures) * (0.5 + r / 2))

    const retrying = Schedule.exponential(Duration.millis(retryBase)).pipe(
      Schedule.jittered,
      Schedule.modifyDelay((delay) => Duration.min(delay, Duration.millis(retryCap))),
      Schedule.intersect(Schedule.recurs(attempts - 1))
    )

    /** A fresh answer from i'mport: its lifetime counted on this clock from when the request was sent. */
    const ask = Effect.gen(function* () {
      const sentAt = yield* nowMillis
      const grant = yield* issue.pipe(
        Effect.retry({ schedule: retrying, while: (error) => error._tag === "IamportTransportError" })
      )
      const fresh: Fresh = {
        accessToken: grant.accessToken,
        serverExpiredAt: grant.expiredAt,
        expiresAt: sentAt + (grant.expiredAt - grant.now) * 1000
      }
      yield* Metric.set(metrics.secondsUntilExpiry, grant.expiredAt - grant.now)
      if (options.store !== undefined) {
        const remainingMillis = fresh.expiresAt - (yield* nowMillis)
        yield* storeCall(
          options.store.set(storeKey, { accessToken: grant.accessToken, expiredAt: grant.expiredAt, remainingMillis }),
          undefined
        )
      }
      return fresh
    })

    /** A store failure is counted and logged, never a call's failure: the cache goes on without the store. */
    const storeCall = <A>(effect: Effect.Effect<A, TokenStoreError>, fallback: A) =>
      Effect.catchAll(effect, (error) =>
        Effect.as(
          Effect.zipRight(
            Metric.increment(metrics.storeFailures),
            Effect.logWarning("IamportAuth: the token store failed", error.description)
          ),
          fallback
        )
      )

    /** The shared token, when it is one this cache may take for `reason`. */
    const shared = (
      store: TokenStore,
      reason: RefreshReason,
      previous: AccessToken | undefined,
      rejected: AccessToken | undefined
    ) =>
      Effect.gen(function* () {
        const found = yield* storeCall(store.get(storeKey), Option.none())
        if (Option.isNone(found)) return Option.none<Fresh>()
        const token = found.value
        const usable =
          token.remainingMillis > expiryMargin &&
          // after a 401, not the token i'mport just refused
          (rejected === undefined || Redacted.value(token.accessToken) !== Redacted.value(rejected.value)) &&
          // ahead of expiry, only a token another instance already extended
          (reason !== "proactive" || previous === undefined || token.expiredAt > previous.serverExpiredAt)
        if (!usable) return Option.none<Fresh>()
        yield* Metric.increment(metrics.shared)
        return Option.some<Fresh>({
          accessToken: token.accessToken,
          serverExpiredAt: token.expiredAt,
          expiresAt: (yield* nowMillis) + token.remainingMillis
        })
      })

    /**
     * The next token: the shared one when usable; otherwise, when another instance holds the store's
     * lock, the one it will share (polled until the lease runs out); otherwise i'mport's.
     */
    const fetch = (reason: RefreshReason, previous: AccessToken | undefined, rejected: AccessToken | undefined) => {
      const store = options.store
      if (store === undefined) return ask
      const lookup = shared(store, reason, previous, rejected)
      return Effect.gen(function* () {
        const found = yield* lookup
        if (Option.isSome(found)) return found.value
        if (yield* storeCall(store.lock(storeKey, storeLockLease), true)) {
          // the lock is free again once a grant was shared: look once more before asking
          const again = yield* lookup
          const unlock = storeCall(store.unlock(storeKey), undefined)
          if (Option.isSome(again)) return yield* Effect.as(unlock, again.value)
          return yield* Effect.tapErrorCause(ask, () => unlock)
        }
        const waited = yield* lookup.pipe(
          Effect.flatMap(Option.match({ onNone: () => Effect.fail("not yet" as const), onSome: Effect.succeed })),
          Effect.retry(Schedule.spaced(Duration.millis(50)).pipe(Schedule.upTo(storeLockLease))),
          Effect.option
        )
        return Option.isSome(waited) ? waited.value : yield* ask
      })
    }

    /** Turns a token into the next cache entry; `previous` is the token it replaces. */
    const entryFor = (fresh: Fresh, previous: AccessToken | undefined) =>
      Effect.map(Random.next, (r): Entry => {
        const moved =
          previous === undefined ||
          fresh.serverExpiredAt > previous.serverExpiredAt ||
          Redacted.value(fresh.accessToken) !== Redacted.value(previous.value)
        return {
          token: {
            value: fresh.accessToken,
            generation: ++generation,
            expiresAt: fresh.expiresAt,
            serverExpiredAt: fresh.serverExpiredAt
          },
          refreshAt: moved ? fresh.expiresAt - refreshBefore + r * refreshJitter : Number.POSITIVE_INFINITY
        }
      })

    const refresh = (reason: RefreshReason, deferred: Deferred.Deferred<AccessToken, IamportAuthError>) =>
      Effect.gen(function* () {
        const before = yield* Ref.get(state)
        const previous = before.current?.token
        const fresh = yield* fetch(reason, previous, before.rejected)
        const entry = yield* entryFor(fresh, previous)
        yield* update((s) => ({ ...s, current: entry, failures: 0, rejected: undefined }))
        return entry.token
      }).pipe(
        Effect.tapError(() =>
          Effect.gen(function* () {
            const now = yield* nowMillis
            const s = yield* Ref.get(state)
            const delay = yield* backoff(s.failures)
            // Keep a still-valid token; try again in the background after a backoff.
            const current = s.current && { ...s.current, refreshAt: now + delay }
            yield* update(() => ({ ...s, current, failures: s.failures + 1 }))
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
      update((s) => (s.inflight === deferred ? { ...s, inflight: undefined } : s))

    /**
     * Starts a refresh. Runs under the lock and uninterruptibly, so that `inflight`
     * is never set without the fiber that will complete it.
     */
    const begin = (s: State, reason: RefreshReason) =>
      Effect.gen(function* () {
        const deferred = yield* Deferred.make<AccessToken, IamportAuthError>()
        yield* update(() => ({ ...s, inflight: deferred }))
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
      if (entry === undefined) return waitForToken(s.rejected !== undefined ? "rejected" : "cold", undefined)
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
      update((s) =>
        s.current?.token.generation === rejected.generation ? { ...s, current: undefined, rejected } : s
      ).pipe(lock.withPermits(1))

    const isExpired = (t: AccessToken) => Effect.map(nowMillis, (now) => now >= t.expiresAt)

    const service = IamportAuth.of({ token, invalidate, isExpired })
    // `token`'s answer when it would be a hit that starts nothing, read without an Effect; else `undefined`
    warmTokens.set(service, (clock) => {
      const entry = snapshot.current
      if (entry === undefined) return undefined
      const now = monotonicMillis(clock)
      if (now >= entry.token.expiresAt - expiryMargin) return undefined
      if (now >= entry.refreshAt && snapshot.inflight === undefined) return undefined
      metrics.hits.unsafeUpdate(1, [])
      return entry.token
    })
    return service
  })
