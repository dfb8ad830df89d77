/**
 * A fleet's token: 8 client instances (each its own `IamportClient` layer and token cache) share a
 * `SqlTokenStore` on PostgreSQL and call the emulator over real sockets on 127.0.0.1, with 8-second tokens
 * so that a refresh happens within the test. Run once with the instances' clocks in agreement and once
 * with them set from 10 minutes behind to 10 minutes ahead.
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import { SqlTokenStore } from "@effect-iamport/sql"
import { IamportEmulator } from "@effect-iamport/testing"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Layer, Redacted, Schedule } from "effect"
import { pgUrl } from "./databases.js"

/** A clock `offset` milliseconds off, wall and monotonic readings alike: a machine whose time is wrong. */
const skewed = (offset: number): Clock.Clock => {
  const base = Clock.make()
  const millis = () => base.unsafeCurrentTimeMillis() + offset
  const nanos = () => base.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: millis,
    unsafeCurrentTimeNanos: nanos,
    currentTimeMillis: Effect.sync(millis),
    currentTimeNanos: Effect.sync(nanos),
    sleep: (duration) => base.sleep(duration)
  }
}

const minutes = (n: number) => n * 60_000

const scenario = (offsets: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const emulator = yield* IamportEmulator.IamportEmulator
    const { url } = yield* IamportEmulator.IamportEmulatorServer
    const table = `tokens_fleet_${process.pid}_${Date.now()}`
    const database = yield* Layer.build(PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 4 }))
    yield* SqlTokenStore.migrate({ table }).pipe(Effect.provide(database))
    const payment = yield* emulator.seedPayment({ amount: 1000 })
    // each instance: its own client layer and cache, its own clock, one shared table
    const instances = yield* Effect.forEach(offsets, (offset) =>
      Effect.gen(function* () {
        const store = yield* SqlTokenStore.make({ table }).pipe(Effect.provide(database))
        const client = yield* Layer.build(
          IamportClient.layer({
            apiKey: emulator.apiKey,
            apiSecret: Redacted.make(emulator.apiSecret),
            baseUrl: url,
            tokenCache: { store, refreshBefore: "3 seconds", refreshJitter: "1 second", expiryMargin: "300 millis" }
          }).pipe(Layer.provide(NodeHttpClient.layerUndici))
        )
        return (n: number) =>
          Effect.forEach(Array.from({ length: n }), () => Payments.getPayment(payment.imp_uid), {
            concurrency: "unbounded"
          }).pipe(Effect.provide(client), Effect.withClock(skewed(offset)))
      })
    )
    // a cold start: every instance at once, 10 calls each
    const started = Date.now()
    yield* Effect.forEach(instances, (call) => call(10), { concurrency: "unbounded" })
    const cold = yield* emulator.counters
    const coldMillis = Date.now() - started
    // 6 s of steady calls, through the tokens' last seconds (a refresh, which i'mport extends)
    yield* Effect.forEach(
      instances,
      (call) => call(1).pipe(Effect.repeat({ times: 23, schedule: Schedule.spaced("250 millis") })),
      {
        concurrency: "unbounded"
      }
    )
    const after = yield* emulator.counters
    return { cold, coldMillis, after, calls: instances.length * 10 + instances.length * 24 }
  })

const Emulator = IamportEmulator.layerWithServer({ tokenTtl: "8 seconds" })

/** Runs the scenario with these clock offsets and asserts what a fleet must hold: 1 getToken cold, none expired. */
const holds = (label: string, offsets: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const figures = yield* scenario(offsets)
    console.log(
      `token fleet (${label}): ${figures.calls} calls by 8 instances; getToken ${figures.cold.getTokenCalls} on the cold start (${figures.coldMillis} ms), ${figures.after.getTokenCalls} in all; expired tokens presented ${figures.after.expiredTokensPresented}; 401s ${figures.after.unauthorized}`
    )
    assert.strictEqual(figures.cold.getTokenCalls, 1)
    // the cold grant, and the refresh in its last seconds (which i'mport extends): at most one more slack
    assert.isAtMost(figures.after.getTokenCalls, 3)
    assert.strictEqual(figures.after.expiredTokensPresented, 0)
    assert.strictEqual(figures.after.unauthorized, 0)
  }).pipe(Effect.provide(Emulator))

describe("8 instances sharing a SqlTokenStore on PostgreSQL", () => {
  it.scopedLive(
    "a cold start makes 1 getToken; through a refresh, no instance presents an expired token",
    () =>
      holds(
        "clocks agree",
        Array.from({ length: 8 }, () => 0)
      ),
    { timeout: 30_000 }
  )

  it.scopedLive(
    "the same with the instances' clocks from 10 minutes behind to 10 minutes ahead",
    () => holds("clocks -10..+10 min", [-10, -7, -4, -1, 1, 4, 7, 10].map(minutes)),
    { timeout: 30_000 }
  )
})
