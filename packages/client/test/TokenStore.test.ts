import { IamportAuth } from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Metric, Option, Redacted, Ref, TestClock } from "effect"

/**
 * An issuer for several caches that counts every getToken: `t1`, `t2`, ... each valid `lifetime` seconds.
 * Each answer takes 10 ms (of the test clock), so that concurrent callers really overlap.
 */
const issuer = (lifetime = 1800) =>
  Effect.map(Ref.make(0), (calls) => ({
    calls,
    issue: Effect.map(
      Effect.zipRight(
        Effect.sleep("10 millis"),
        Ref.updateAndGet(calls, (n) => n + 1)
      ),
      (n) => ({
        accessToken: Redacted.make(`t${n}`),
        now: 1_000,
        expiredAt: 1_000 + lifetime
      })
    )
  }))

const value = (token: IamportAuth.AccessToken) => Redacted.value(token.value)

/** A token from `cache`, moving the test clock past the issuer's 10 ms. */
const tokenOf = (cache: IamportAuth.Service) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(cache.token)
    yield* TestClock.adjust("10 millis")
    return yield* Fiber.join(fiber)
  })

const failing: IamportAuth.TokenStore = {
  get: () => Effect.fail(new IamportAuth.TokenStoreError({ description: "database down" })),
  set: () => Effect.fail(new IamportAuth.TokenStoreError({ description: "database down" })),
  lock: () => Effect.fail(new IamportAuth.TokenStoreError({ description: "database down" })),
  unlock: () => Effect.fail(new IamportAuth.TokenStoreError({ description: "database down" }))
}

describe("IamportAuth with a shared TokenStore", () => {
  it.scoped("8 cold caches sharing a store, asked at once, make 1 getToken", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const store = IamportAuth.memoryTokenStore()
      const caches = yield* Effect.forEach(Array.from({ length: 8 }), () =>
        IamportAuth.make(issue, { store, storeKey: "imp_key" })
      )
      const fibers = yield* Effect.forEach(caches, (cache) =>
        Effect.fork(
          Effect.all(
            Array.from({ length: 25 }, () => cache.token),
            { concurrency: "unbounded" }
          )
        )
      )
      // the lock holder asks; the 7 others poll the store every 50 ms
      yield* TestClock.adjust("100 millis")
      const tokens = (yield* Effect.forEach(fibers, Fiber.join)).flat()
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.isTrue(tokens.every((t) => value(t) === "t1"))
    })
  )

  it.scoped(
    "a cache built on a warm store asks i'mport nothing, and keeps the token only for the lifetime it has left",
    () =>
      Effect.gen(function* () {
        const { calls, issue } = yield* issuer()
        const store = IamportAuth.memoryTokenStore()
        const build = IamportAuth.make(issue, { store, storeKey: "k" })
        const first = yield* build
        yield* Effect.fork(first.token)
        yield* TestClock.adjust("10 millis")
        const hits = (yield* Metric.value(IamportAuth.metrics.shared)).count
        yield* TestClock.adjust("10 minutes")
        const late = yield* build
        assert.strictEqual(value(yield* late.token), "t1")
        assert.strictEqual(yield* Ref.get(calls), 1)
        assert.strictEqual((yield* Metric.value(IamportAuth.metrics.shared)).count, hits + 1)
        // 20 of the 30 minutes were left, not a fresh 30: at minute 30 the late cache asks again
        yield* TestClock.adjust("19 minutes")
        assert.strictEqual(value(yield* late.token), "t1")
        yield* TestClock.adjust("1 minute")
        assert.strictEqual(value(yield* tokenOf(late)), "t2")
      })
  )

  it.scoped("keys are apart: another API key's token is never taken", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const store = IamportAuth.memoryTokenStore()
      yield* Effect.flatMap(IamportAuth.make(issue, { store, storeKey: "merchant-a" }), tokenOf)
      const b = yield* Effect.flatMap(IamportAuth.make(issue, { store, storeKey: "merchant-b" }), tokenOf)
      assert.strictEqual(value(b), "t2")
      assert.strictEqual(yield* Ref.get(calls), 2)
    })
  )

  it.scoped("a store that fails never fails a call: i'mport is asked, and the failure counted", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const before = (yield* Metric.value(IamportAuth.metrics.storeFailures)).count
      const cache = yield* IamportAuth.make(issue, { store: failing, storeKey: "k" })
      assert.strictEqual(value(yield* tokenOf(cache)), "t1")
      assert.strictEqual(yield* Ref.get(calls), 1)
      // the read, the lock, the read again and the write each failed
      assert.strictEqual((yield* Metric.value(IamportAuth.metrics.storeFailures)).count, before + 4)
    })
  )

  it.scoped("after a 401, the shared token i'mport refused is not taken again", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const store = IamportAuth.memoryTokenStore()
      const cache = yield* IamportAuth.make(issue, { store, storeKey: "k" })
      const first = yield* tokenOf(cache)
      yield* cache.invalidate(first)
      assert.strictEqual(value(yield* tokenOf(cache)), "t2")
      assert.strictEqual(yield* Ref.get(calls), 2)
      // and the replacement is shared
      const other = yield* IamportAuth.make(issue, { store, storeKey: "k" })
      assert.strictEqual(value(yield* other.token), "t2")
    })
  )

  it.scoped("a grant shared between this cache's look and its lock is taken, not asked for again", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const inner = IamportAuth.memoryTokenStore()
      // another instance shares its grant (and so frees the lock) just before this cache takes the lock
      const racing: IamportAuth.TokenStore = {
        ...inner,
        lock: (key, lease) =>
          inner
            .set(key, { accessToken: Redacted.make("theirs"), expiredAt: 2_800, remainingMillis: 1_800_000 })
            .pipe(Effect.zipRight(inner.lock(key, lease)))
      }
      const cache = yield* IamportAuth.make(issue, { store: racing, storeKey: "k" })
      assert.strictEqual(value(yield* tokenOf(cache)), "theirs")
      assert.strictEqual(yield* Ref.get(calls), 0)
      // and the lock it took is free again: the next instance to need a token may ask at once
      assert.isTrue(yield* inner.lock("k", Duration.seconds(5)))
    })
  )

  it.scoped("when the instance holding the lock dies, the others ask i'mport once its lease ran out", () =>
    Effect.gen(function* () {
      const { calls, issue } = yield* issuer()
      const store = IamportAuth.memoryTokenStore()
      assert.isTrue(yield* store.lock("k", Duration.seconds(5))) // taken by an instance that then died
      const cache = yield* IamportAuth.make(issue, { store, storeKey: "k" })
      const waiting = yield* Effect.fork(cache.token)
      yield* TestClock.adjust("4 seconds")
      assert.strictEqual(yield* Ref.get(calls), 0, "still waiting for the shared token")
      yield* TestClock.adjust("2 seconds") // the lease ran out at 5 s; then 10 ms of asking
      assert.strictEqual(value(yield* Fiber.join(waiting)), "t1")
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.isTrue(Option.isSome(yield* store.get("k")))
    })
  )
})
