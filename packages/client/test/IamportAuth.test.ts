import { IamportAuth, IamportError } from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Redacted, Ref, TestClock } from "effect"

/**
 * The cache against a scripted issuer: each call to `issue` takes the next
 * scripted answer (the last one repeats). Server rules (reuse, extension, skew)
 * are tested through the emulator in IamportClient.test.ts; here the cache's own
 * mechanics are.
 */
type Answer =
  | { readonly _tag: "grant"; readonly token: string; readonly lifetime: number }
  | { readonly _tag: "transient" }
  | { readonly _tag: "badCredentials" }
  | { readonly _tag: "defect" }
  | { readonly _tag: "block"; readonly started: Deferred.Deferred<void>; readonly until: Deferred.Deferred<void> }

const scripted = (answers: ReadonlyArray<Answer>) =>
  Effect.gen(function* () {
    const calls = yield* Ref.make(0)
    const interrupted = yield* Ref.make(0)
    const issue = Effect.gen(function* () {
      const n = yield* Ref.getAndUpdate(calls, (c) => c + 1)
      const answer = answers[Math.min(n, answers.length - 1)]!
      switch (answer._tag) {
        case "grant":
          return { accessToken: Redacted.make(answer.token), now: 1_000, expiredAt: 1_000 + answer.lifetime }
        case "transient":
          return yield* new IamportError.IamportTransportError({
            endpoint: "POST /users/getToken",
            reason: "Connection",
            mayHaveBeenProcessed: false
          })
        case "defect":
          return yield* Effect.die(new Error("a bug in a transformClient"))
        case "badCredentials":
          return yield* new IamportError.IamportInvalidCredentialsError({ status: 401, code: -1 })
        case "block":
          yield* Deferred.succeed(answer.started, undefined)
          yield* Deferred.await(answer.until).pipe(Effect.onInterrupt(() => Ref.update(interrupted, (i) => i + 1)))
          return { accessToken: Redacted.make("late"), now: 1_000, expiredAt: 2_800 }
      }
    })
    return { issue, calls, interrupted }
  })

const value = (token: IamportAuth.AccessToken) => Redacted.value(token.value)

describe("IamportAuth", () => {
  it.scoped("1,000 concurrent callers on a cold cache cause one getToken", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([{ _tag: "grant", token: "t1", lifetime: 1800 }])
      const auth = yield* IamportAuth.make(issue)
      const tokens = yield* Effect.all(
        Array.from({ length: 1000 }, () => auth.token),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.isTrue(tokens.every((t) => value(t) === "t1"))
    })
  )

  it.scoped("a warm cache answers without calling getToken", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([{ _tag: "grant", token: "t1", lifetime: 1800 }])
      const auth = yield* IamportAuth.make(issue)
      yield* auth.token
      yield* TestClock.adjust("29 minutes")
      const token = yield* auth.token
      assert.strictEqual(value(token), "t1")
      assert.strictEqual(yield* Ref.get(calls), 1)
    })
  )

  it.scoped("after expiry, callers wait for one refresh", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "grant", token: "t1", lifetime: 1800 },
        { _tag: "grant", token: "t2", lifetime: 1800 }
      ])
      const auth = yield* IamportAuth.make(issue)
      yield* auth.token
      yield* TestClock.adjust("31 minutes")
      const tokens = yield* Effect.all(
        Array.from({ length: 300 }, () => auth.token),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(yield* Ref.get(calls), 2)
      assert.isTrue(tokens.every((t) => value(t) === "t2"))
    })
  )

  it.scoped("a token is not sent in its last seconds (expiry margin)", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "grant", token: "t1", lifetime: 1800 },
        { _tag: "grant", token: "t1", lifetime: 300 }
      ])
      const auth = yield* IamportAuth.make(issue, { refreshBefore: "0 seconds", refreshJitter: "0 seconds" })
      yield* auth.token
      yield* TestClock.adjust("1797 seconds")
      const token = yield* auth.token
      assert.strictEqual(yield* Ref.get(calls), 2)
      assert.strictEqual(token.serverExpiredAt, 1_300)
    })
  )

  it.scoped("keeps working after the test clock moved by a fractional millisecond", () =>
    Effect.gen(function* () {
      const { issue } = yield* scripted([{ _tag: "grant", token: "t1", lifetime: 1800 }])
      const auth = yield* IamportAuth.make(issue)
      yield* TestClock.adjust(Duration.millis(0.1))
      yield* TestClock.adjust(Duration.millis(0.2)) // 0.1 + 0.2: instant * 1e6 is not an integer
      assert.strictEqual(value(yield* auth.token), "t1")
    })
  )

  it.scoped("interrupting a waiting caller does not cancel the refresh the others wait on", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const { issue, calls, interrupted } = yield* scripted([{ _tag: "block", started, until: gate }])
      const auth = yield* IamportAuth.make(issue)
      const first = yield* Effect.fork(auth.token)
      yield* Deferred.await(started)
      const second = yield* Effect.fork(auth.token)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(first)
      yield* Deferred.succeed(gate, undefined)
      const token = yield* Fiber.join(second)
      assert.strictEqual(value(token), "late")
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.strictEqual(yield* Ref.get(interrupted), 0)
    })
  )

  it.effect("closing the layer's scope stops a refresh under way", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const { issue, interrupted } = yield* scripted([{ _tag: "block", started, until: gate }])
      const waiter = yield* Effect.gen(function* () {
        const auth = yield* IamportAuth.make(issue)
        const fiber = yield* Effect.fork(auth.token)
        yield* Deferred.await(started)
        return fiber
      }).pipe(Effect.scoped)
      assert.strictEqual(yield* Ref.get(interrupted), 1)
      const exit = yield* Fiber.await(waiter)
      assert.isTrue(Exit.isInterrupted(exit))
    })
  )

  it.scoped("bad credentials fail at once, without retries, and are not cached", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "badCredentials" },
        { _tag: "grant", token: "t1", lifetime: 1800 }
      ])
      const auth = yield* IamportAuth.make(issue)
      const error = yield* Effect.flip(auth.token)
      assert.strictEqual(error._tag, "IamportInvalidCredentialsError")
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.strictEqual(value(yield* auth.token), "t1")
      assert.strictEqual(yield* Ref.get(calls), 2)
    })
  )

  it.scoped("a transient getToken failure is retried with backoff", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "transient" },
        { _tag: "transient" },
        { _tag: "grant", token: "t1", lifetime: 1800 }
      ])
      const auth = yield* IamportAuth.make(issue)
      const fiber = yield* Effect.fork(auth.token)
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(value(yield* Fiber.join(fiber)), "t1")
      assert.strictEqual(yield* Ref.get(calls), 3)
    })
  )

  it.scoped("a failed refresh is not cached: the next caller tries again", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([{ _tag: "transient" }, { _tag: "grant", token: "t1", lifetime: 1800 }])
      const auth = yield* IamportAuth.make(issue, { refreshAttempts: 1 })
      const error = yield* Effect.flip(auth.token)
      assert.strictEqual(error._tag, "IamportTransportError")
      assert.strictEqual(value(yield* auth.token), "t1")
      assert.strictEqual(yield* Ref.get(calls), 2)
    })
  )

  it.scoped("a defect in getToken fails the waiting callers and does not wedge the cache", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([{ _tag: "defect" }, { _tag: "grant", token: "t1", lifetime: 1800 }])
      const auth = yield* IamportAuth.make(issue)
      const exit = yield* Effect.exit(auth.token)
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.strictEqual(value(yield* auth.token), "t1")
      assert.strictEqual(yield* Ref.get(calls), 2)
    })
  )

  it.scoped("a still-valid token keeps being served while its refresh fails", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "grant", token: "t1", lifetime: 1800 },
        { _tag: "transient" },
        { _tag: "transient" },
        { _tag: "transient" },
        { _tag: "grant", token: "t1", lifetime: 1860 }
      ])
      const auth = yield* IamportAuth.make(issue, { refreshAttempts: 1 })
      yield* auth.token
      yield* TestClock.adjust("1770 seconds") // inside the proactive window
      for (let i = 0; i < 20; i++) {
        assert.strictEqual(value(yield* auth.token), "t1")
        yield* TestClock.adjust("1 second")
      }
      // failures back off: far fewer getToken calls than requests, and the last one succeeded
      const n = yield* Ref.get(calls)
      assert.isAtLeast(n, 3)
      assert.isAtMost(n, 6)
    })
  )

  it.scoped("invalidate drops the token only if it is still the current one", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "grant", token: "t1", lifetime: 1800 },
        { _tag: "grant", token: "t2", lifetime: 1800 }
      ])
      const auth = yield* IamportAuth.make(issue)
      const t1 = yield* auth.token
      yield* auth.invalidate(t1)
      const t2 = yield* auth.token
      assert.strictEqual(value(t2), "t2")
      yield* auth.invalidate(t1) // stale: ignored
      assert.strictEqual(value(yield* auth.token), "t2")
      assert.strictEqual(yield* Ref.get(calls), 2)
    })
  )

  it.scoped("200 concurrent invalidations of one token cause one refresh", () =>
    Effect.gen(function* () {
      const { issue, calls } = yield* scripted([
        { _tag: "grant", token: "t1", lifetime: 1800 },
        { _tag: "grant", token: "t2", lifetime: 1800 }
      ])
      const auth = yield* IamportAuth.make(issue)
      const t1 = yield* auth.token
      const tokens = yield* Effect.all(
        Array.from({ length: 200 }, () => Effect.zipRight(auth.invalidate(t1), auth.token)),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(yield* Ref.get(calls), 2)
      assert.isTrue(tokens.every((t) => value(t) === "t2"))
    })
  )
})
