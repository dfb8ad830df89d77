/**
 * A crash between a cancel and its answer. A child process (`fixtures/cancelChild.ts`) cancels a payment with a
 * `SqlWriteJournal` on PostgreSQL, against the emulator served here over HTTP on 127.0.0.1, and is killed with
 * SIGKILL before it reads the answer. This process then runs `Payments.reconcilePending` on the same table and
 * the same emulator: exactly one cancellation, and the journal entry settled.
 *
 * - processed: the emulator cancels, then holds the answer (`Delay`); the child is killed while it waits.
 * - not processed: the cancel is dropped before the emulator reads it (`Drop`); the child, looking the payment
 *   up, is killed while that look-up's answer is held. `reconcilePending` resends the cancel once.
 */
import { IamportClient, Payments, WriteJournal } from "@effect-iamport/client"
import { SqlWriteJournal } from "@effect-iamport/sql"
import { IamportEmulator } from "@effect-iamport/testing"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { SqlClient } from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { pgUrl } from "./databases.js"

const Emulator = IamportEmulator.IamportEmulator
const Fault = IamportEmulator.Fault
const child = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures", "cancelChild.ts")

/** The child process; killed with SIGKILL when the scope closes, if the test has not killed it before. */
const spawn = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const process_ = ChildProcess.spawn(process.execPath, ["--import", "tsx", child], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      const output: Array<string> = []
      process_.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()))
      process_.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()))
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        process_.on("exit", (code, signal) => resolve(signal ?? code))
      )
      return { process: process_, output, exited }
    }),
    ({ process: p }) => Effect.sync(() => p.kill("SIGKILL"))
  )

/** Waits (real time, at most 20 s) until `check` holds. */
const until = <A, E, R>(check: Effect.Effect<A, E, R>, done: (a: A) => boolean, what: string) =>
  check.pipe(
    Effect.filterOrFail(done, () => `not yet: ${what}`),
    Effect.retry(Schedule.spaced("25 millis").pipe(Schedule.upTo(Duration.seconds(20)))),
    Effect.orDie
  )

const journalRows = (table: string) =>
  Effect.flatMap(SqlClient, (sql) =>
    sql<{ state: string; imp_uid: string | null; checksum: number | null }>`
      SELECT state, imp_uid, checksum FROM ${sql(table)}`.pipe(Effect.orDie)
  )

const scenario = (variant: "processed" | "not processed") =>
  Effect.gen(function* () {
    const emulator = yield* Emulator
    const { url } = yield* IamportEmulator.IamportEmulatorServer
    const table = `journal_crash_${process.pid}_${Date.now()}`
    yield* SqlWriteJournal.migrate({ table }).pipe(Effect.orDie)
    const payment = yield* emulator.seedPayment({ amount: 1000 })
    const cancels = Effect.map(emulator.counters, (c) => c.requests["POST /payments/cancel"] ?? 0)
    const cancellations = Effect.map(
      emulator.payment(payment.imp_uid),
      (p) => Option.getOrThrow(p).cancel_history.length
    )
    if (variant === "processed") {
      yield* emulator.injectFaults(Fault.Delay({ duration: "60 seconds" }), { route: "/payments/cancel" })
    } else {
      yield* emulator.injectFaults(Fault.Drop(), { route: "/payments/cancel" })
      yield* emulator.injectFaults(Fault.Delay({ duration: "60 seconds" }), { route: `/payments/${payment.imp_uid}` })
    }

    const running = yield* spawn({
      IAMPORT_BASE_URL: url,
      DATABASE_URL: pgUrl,
      JOURNAL_TABLE: table,
      IMP_UID: payment.imp_uid,
      ...(variant === "not processed" ? { CHECKSUM: "1000" } : {})
    })
    // the cancel reached the emulator (processed, or dropped and then looked up), and the journal holds it open
    yield* until(cancels, (n) => n === 1, "the cancel reached the emulator")
    if (variant === "processed") {
      yield* until(cancellations, (n) => n === 1, "the emulator cancelled")
    } else {
      yield* until(
        Effect.map(emulator.counters, (c) => c.requests["GET /payments/{imp_uid}"] ?? 0),
        (n) => n === 1,
        "the child's look-up reached the emulator"
      )
    }
    yield* until(journalRows(table), (rows) => rows.length === 1 && rows[0]!.state === "pending", "journal entry")
    assert.strictEqual(running.output.join(""), "", "the child has not been answered")
    running.process.kill("SIGKILL")
    assert.strictEqual(yield* Effect.promise(() => running.exited), "SIGKILL")
    const before = { cancels: yield* cancels, cancellations: yield* cancellations }

    // a new process: same database, same emulator, over HTTP
    const client = IamportClient.layer({
      apiKey: emulator.apiKey,
      apiSecret: Redacted.make(emulator.apiSecret),
      baseUrl: url
    }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    const journal = SqlWriteJournal.layer({ table })
    const settled = yield* Payments.reconcilePending().pipe(Effect.provide(Layer.merge(client, journal)))
    const after = {
      cancels: yield* cancels,
      cancellations: yield* cancellations,
      journal: yield* journalRows(table)
    }
    console.log(
      `crash test (${variant}): child killed with SIGKILL before the answer; before reconcilePending: ` +
        `cancels sent ${before.cancels}, cancellations at the emulator ${before.cancellations}; after: ` +
        `cancels sent ${after.cancels}, cancellations at the emulator ${after.cancellations}, journal ` +
        after.journal.map((row) => `${row.state} (imp_uid ${row.imp_uid}, checksum ${row.checksum})`).join(", ")
    )
    return { payment, before, settled, after }
  })

const Services = Layer.mergeAll(IamportEmulator.layerWithServer(), PgClient.layer({ url: Redacted.make(pgUrl) }))

describe("a process killed between a cancel and its answer (PostgreSQL, emulator over HTTP)", () => {
  it.scopedLive(
    "processed before the crash: reconcilePending confirms it without a resend; one cancellation",
    () =>
      Effect.gen(function* () {
        const { after, before, payment, settled } = yield* scenario("processed")
        assert.deepStrictEqual(before, { cancels: 1, cancellations: 1 })
        assert.deepStrictEqual(
          settled.map((s): Partial<WriteJournal.Reconciled> => ({ operation: s.operation, state: s.state })),
          [{ operation: "cancel", state: "confirmed" }]
        )
        assert.strictEqual(after.cancels, 1, "nothing resent")
        assert.strictEqual(after.cancellations, 1)
        assert.deepStrictEqual(after.journal, [{ state: "confirmed", imp_uid: payment.imp_uid, checksum: 1000 }])
      }).pipe(Effect.provide(Services)),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "dropped before it was processed: reconcilePending resends it once; one cancellation",
    () =>
      Effect.gen(function* () {
        const { after, before, payment, settled } = yield* scenario("not processed")
        assert.deepStrictEqual(before, { cancels: 1, cancellations: 0 })
        assert.deepStrictEqual(
          settled.map((s) => s.state),
          ["confirmed"]
        )
        assert.strictEqual(after.cancels, 2, "resent once")
        assert.strictEqual(after.cancellations, 1)
        assert.deepStrictEqual(after.journal, [{ state: "confirmed", imp_uid: payment.imp_uid, checksum: 1000 }])
      }).pipe(Effect.provide(Services)),
    { timeout: 60_000 }
  )
})
