import { SqlDeliveryStore, SqlTokenStore } from "@effect-iamport/sql"
import { IamportAuth } from "@effect-iamport/client"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { databases, type Fresh } from "./databases.js"

/** Two clients (two connections) to one fresh database, with the tables made. */
const twoConnections = (db: Fresh) =>
  Effect.gen(function* () {
    const a = yield* Layer.build(db.connect())
    const b = yield* Layer.build(db.connect())
    yield* SqlDeliveryStore.migrate(db.deliveries).pipe(Effect.provide(a))
    yield* SqlTokenStore.migrate(db.tokens).pipe(Effect.provide(a))
    return { a, b }
  })

const lease = Duration.seconds(30)

for (const database of databases) {
  describe(`SqlDeliveryStore on ${database.name}`, () => {
    it.scopedLive("claim, in flight, done only once completed; release frees only its own claim", () =>
      Effect.gen(function* () {
        const db = database.fresh()
        const { a } = yield* twoConnections(db)
        const store = yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(a))
        const first = yield* store.claim("Paid|imp_1|paid|0", lease)
        assert.strictEqual(first._tag, "Claimed")
        assert.strictEqual((yield* store.claim("Paid|imp_1|paid|0", lease))._tag, "InFlight")
        yield* store.release("Paid|imp_1|paid|0", "someone else")
        assert.strictEqual((yield* store.claim("Paid|imp_1|paid|0", lease))._tag, "InFlight")
        yield* store.release("Paid|imp_1|paid|0", first._tag === "Claimed" ? first.token : "")
        const again = yield* store.claim("Paid|imp_1|paid|0", lease)
        assert.strictEqual(again._tag, "Claimed")
        yield* store.complete("Paid|imp_1|paid|0", again._tag === "Claimed" ? again.token : "")
        assert.strictEqual((yield* store.claim("Paid|imp_1|paid|0", lease))._tag, "Done")
        // a completed key is not released by a late owner
        yield* store.release("Paid|imp_1|paid|0", again._tag === "Claimed" ? again.token : "")
        assert.strictEqual((yield* store.claim("Paid|imp_1|paid|0", lease))._tag, "Done")
      })
    )

    it.scopedLive("a claim whose lease ran out on the database's clock is taken over", () =>
      Effect.gen(function* () {
        const db = database.fresh()
        const { a, b } = yield* twoConnections(db)
        const crashed = yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(a))
        const survivor = yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(b))
        assert.strictEqual((yield* crashed.claim("k", Duration.millis(1500)))._tag, "Claimed")
        assert.strictEqual((yield* survivor.claim("k", lease))._tag, "InFlight")
        yield* Effect.sleep("1600 millis")
        assert.strictEqual((yield* survivor.claim("k", lease))._tag, "Claimed")
      })
    )

    it.scopedLive(
      "200 concurrent claims of 10 keys on two connections: exactly one owner per key",
      () =>
        Effect.gen(function* () {
          const db = database.fresh()
          const { a, b } = yield* twoConnections(db)
          const stores = [
            yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(a)),
            yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(b))
          ]
          const claims = yield* Effect.forEach(
            Array.from({ length: 200 }, (_, i) => i),
            (i) => Effect.map(stores[i % 2]!.claim(`key-${i % 10}`, lease), (claim) => [i % 10, claim._tag] as const),
            { concurrency: "unbounded" }
          )
          for (let key = 0; key < 10; key++) {
            const owners = claims.filter(([k, tag]) => k === key && tag === "Claimed")
            assert.strictEqual(owners.length, 1, `key-${key}`)
          }
        }),
      { timeout: 30_000 }
    )

    it.scopedLive("purge deletes completed keys older than asked, and nothing in flight", () =>
      Effect.gen(function* () {
        const db = database.fresh()
        const { a } = yield* twoConnections(db)
        const store = yield* SqlDeliveryStore.make(db.deliveries).pipe(Effect.provide(a))
        const done = yield* store.claim("done", lease)
        yield* store.complete("done", done._tag === "Claimed" ? done.token : "")
        yield* store.claim("flight", lease)
        yield* Effect.sleep("50 millis")
        assert.strictEqual(yield* SqlDeliveryStore.purge("1 hour", db.deliveries).pipe(Effect.provide(a)), 0)
        assert.strictEqual(yield* SqlDeliveryStore.purge("10 millis", db.deliveries).pipe(Effect.provide(a)), 1)
        assert.strictEqual((yield* store.claim("done", lease))._tag, "Claimed")
        assert.strictEqual((yield* store.claim("flight", lease))._tag, "InFlight")
      })
    )
  })

  describe(`SqlTokenStore on ${database.name}`, () => {
    it.scopedLive("shares a token with the lifetime it has left, on the database's clock", () =>
      Effect.gen(function* () {
        const db = database.fresh()
        const { a, b } = yield* twoConnections(db)
        const writer = yield* SqlTokenStore.make(db.tokens).pipe(Effect.provide(a))
        const reader = yield* SqlTokenStore.make(db.tokens).pipe(Effect.provide(b))
        assert.isTrue(Option.isNone(yield* reader.get("imp_key")))
        yield* writer.set("imp_key", { accessToken: Redacted.make("tok-1"), expiredAt: 1_800, remainingMillis: 60_000 })
        yield* Effect.sleep("100 millis")
        const shared = (yield* reader.get("imp_key")).pipe(Option.getOrThrow)
        assert.strictEqual(Redacted.value(shared.accessToken), "tok-1")
        assert.strictEqual(shared.expiredAt, 1_800)
        assert.isTrue(shared.remainingMillis < 60_000 && shared.remainingMillis > 55_000, `${shared.remainingMillis}`)
        assert.isTrue(Option.isNone(yield* reader.get("another key")))
        // one that has run out is not handed out
        yield* writer.set("short", { accessToken: Redacted.make("tok-2"), expiredAt: 1, remainingMillis: 50 })
        yield* Effect.sleep("100 millis")
        assert.isTrue(Option.isNone(yield* reader.get("short")))
      })
    )

    it.scopedLive(
      "the lock: one of 16 concurrent takers on two connections; free again after a grant or its lease",
      () =>
        Effect.gen(function* () {
          const db = database.fresh()
          const { a, b } = yield* twoConnections(db)
          const stores = [
            yield* SqlTokenStore.make(db.tokens).pipe(Effect.provide(a)),
            yield* SqlTokenStore.make(db.tokens).pipe(Effect.provide(b))
          ]
          const taken = yield* Effect.forEach(
            Array.from({ length: 16 }, (_, i) => stores[i % 2]!.lock("k", Duration.millis(1500))),
            (lock) => lock,
            { concurrency: "unbounded" }
          )
          assert.strictEqual(taken.filter(Boolean).length, 1)
          yield* stores[0]!.set("k", { accessToken: Redacted.make("t"), expiredAt: 1_800, remainingMillis: 60_000 })
          assert.isTrue(yield* stores[1]!.lock("k", Duration.millis(1500)), "a grant frees the lock")
          assert.isFalse(yield* stores[0]!.lock("k", Duration.millis(1500)))
          yield* Effect.sleep("1600 millis")
          assert.isTrue(yield* stores[0]!.lock("k", Duration.millis(1500)), "the lease ran out")
        })
    )

    it.scopedLive(
      "8 token caches on two connections, cold and concurrent, make 1 getToken; a store failure is no call's failure",
      () =>
        Effect.gen(function* () {
          const db = database.fresh()
          const { a, b } = yield* twoConnections(db)
          let calls = 0
          const issue = Effect.sleep("50 millis").pipe(
            Effect.as({ accessToken: Redacted.make("shared-token"), now: 1_000, expiredAt: 2_800 }),
            Effect.tap(() => void calls++)
          )
          const caches = yield* Effect.forEach(
            Array.from({ length: 8 }, (_, i) => i),
            (i) =>
              Effect.flatMap(SqlTokenStore.make(db.tokens).pipe(Effect.provide(i % 2 ? a : b)), (store) =>
                IamportAuth.make(issue, { store, storeKey: "imp_key" })
              )
          )
          const tokens = yield* Effect.forEach(caches, (cache) => cache.token, { concurrency: "unbounded" })
          assert.strictEqual(calls, 1)
          assert.isTrue(tokens.every((t) => Redacted.value(t.value) === "shared-token"))
          // a store on a table that does not exist fails every statement: the cache still answers
          const broken = yield* SqlTokenStore.make({ table: "no_such_table" }).pipe(Effect.provide(a))
          const alone = yield* IamportAuth.make(issue, { store: broken, storeKey: "imp_key" })
          assert.strictEqual(Redacted.value((yield* alone.token).value), "shared-token")
          assert.strictEqual(calls, 2)
        }),
      { timeout: 30_000 }
    )
  })
}
