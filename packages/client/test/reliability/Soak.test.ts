/**
 * Soak: 11 simulated token lifetimes (5-minute tokens, in-process emulator,
 * a hand-moved `Clock`) under steady concurrent traffic: 20 fibers, each calling every
 * 20 seconds, half of them 10 s after the others (10 concurrent calls every 10 s).
 *
 * The bound on getToken, derived from the cache's rules (see RELIABILITY.md):
 * the first token (t = 0) expires at E1 = 300 s; the cache refreshes it
 * proactively at a jittered point of [E - 50 s, E - 20 s], on the first call
 * after that (at most 10 s later), i.e. inside the server's last minute, so
 * the server extends the same token by 300 s: E(k+1) = E(k) + 300 s. Refresh k
 * thus happens in [300k - 50, 300k - 10] s. Running D = 3350 s = 300 * 11 + 50,
 * refreshes 1..11 have certainly happened and the 12th (>= 3550 s) cannot
 * have: exactly 1 + 11 getToken, and one token issued.
 */
import { IamportAuth, Payments } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Metric, Queue, Supervisor } from "effect"

const FIBERS = 20
const LIFETIME_SECONDS = 300
const DURATION_SECONDS = LIFETIME_SECONDS * 11 + 50

/** The heap in use after two collections. */
const heapAfterGc = (gc: () => void) => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/**
 * A clock the test moves by hand. `TestClock.adjust` polls with real timers
 * for every sleeper it wakes (milliseconds each), too slow for 6,700 calls, so
 * the workers wait on a queue for their turn instead of sleeping, and this
 * clock (the `Clock` of the client, its token cache and the in-process
 * emulator alike) is moved between turns. Its sleeps never end: the request
 * timeouts racing every call never fire, and a backoff after a failure would
 * hang the soak (the test's timeout then fails it).
 */
const manualClock = () => {
  let millis = 0
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => millis,
    currentTimeMillis: Effect.sync(() => millis),
    unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(millis) * 1_000_000n),
    sleep: () => Effect.never
  }
  return { clock, set: (seconds: number) => Effect.sync(() => void (millis = seconds * 1000)) }
}

describe("soak", () => {
  // `it.live`: the test services (TestClock and its fiber annotations) are not needed with the manual clock
  it.live(
    "11 token lifetimes, 20 fibers calling every 20 s: 12 getToken, 1 token, no failure, no fiber or heap growth",
    () => {
      const soak = manualClock()
      // vitest.config.ts gives the test processes `--expose-gc`; without it, the heap check cannot be made
      const gc = globalThis.gc
      assert.isDefined(gc, "soak: gc() is missing: run the tests with node --expose-gc, as vitest.config.ts does")
      return Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const payment = yield* emulator.seedPayment({ amount: 4321 })
        const supervisor = yield* Supervisor.track
        const hitsBefore = (yield* Metric.value(IamportAuth.metrics.hits)).count
        let ok = 0
        let failed = 0
        const done = yield* Queue.unbounded<void>()
        const inboxes = yield* Effect.forEach(Array.from({ length: FIBERS }), () => Queue.unbounded<void>())
        const worker = (inbox: Queue.Queue<void>) =>
          Effect.forever(
            Queue.take(inbox).pipe(
              Effect.zipRight(Effect.exit(Payments.getPayment(payment.imp_uid))),
              Effect.tap((exit) =>
                Effect.sync(() => (Exit.isSuccess(exit) && exit.value.amount === 4321 ? ok++ : failed++))
              ),
              Effect.zipRight(Queue.offer(done, undefined))
            )
          )
        const workers = yield* Effect.forEach(inboxes, (inbox) => Effect.fork(worker(inbox))).pipe(
          Effect.supervised(supervisor)
        )

        const fiberCounts: Array<number> = []
        const heaps: Array<number> = []
        // half of the workers call at t = 0, 20, 40, ... s, the other half at t = 10, 30, 50, ... s
        for (let t = 0; t <= DURATION_SECONDS; t += 10) {
          yield* soak.set(t)
          const due = inboxes.filter((_, i) => i % 2 === (t / 10) % 2)
          yield* Effect.forEach(due, (inbox) => Queue.offer(inbox, undefined))
          yield* Queue.takeN(done, due.length)
          if (t > 0 && t % LIFETIME_SECONDS === 0) {
            yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
            fiberCounts.push((yield* supervisor.value).length)
            heaps.push(heapAfterGc(gc))
          }
        }

        const counters = yield* emulator.counters
        assert.strictEqual(failed, 0)
        // offset 0: calls at 0, 20, ..., 3340 s (168 each); offset 10 s: 10, 30, ..., 3350 s (168 each)
        assert.strictEqual(ok, 20 * 168)
        assert.strictEqual(counters.getTokenCalls, 12)
        assert.strictEqual(counters.tokensIssued, 1)
        assert.strictEqual(counters.unauthorized, 0)
        assert.strictEqual(counters.expiredTokensPresented, 0)
        // every call is a cache hit but the 10 concurrent cold calls of the first turn, which wait for the token
        assert.strictEqual((yield* Metric.value(IamportAuth.metrics.hits)).count - hitsBefore, ok - FIBERS / 2)

        // fibers: the 20 workers, plus at most one background refresh, at every lifetime
        assert.strictEqual(fiberCounts.length, 11)
        for (const n of fiberCounts) {
          assert.isAtLeast(n, FIBERS)
          assert.isAtMost(n, FIBERS + 1)
        }
        yield* Effect.forEach(workers, Fiber.interrupt)
        yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
        assert.strictEqual((yield* supervisor.value).length, 0, "nothing left running once the callers stop")

        // heap after GC: from the end of lifetime 2 to the end of lifetime 11, below 8 MB of growth
        const growth = heaps[heaps.length - 1]! - heaps[1]!
        assert.isBelow(growth, 8 * 1024 * 1024, `heap grew by ${growth} bytes`)
      }).pipe(
        Effect.provide(IamportTest.layer({ tokenTtl: `${LIFETIME_SECONDS} seconds` })),
        Effect.withClock(soak.clock)
      )
    },
    45_000
  )
})
