/**
 * `SqlWriteJournal` on SQLite and PostgreSQL: its own rules (open entries, settled once), and a cancel whose
 * outcome stayed unknown, kept open in the database and resolved by `Payments.reconcilePending` against the
 * emulator in process.
 */
import { Payments, WriteJournal } from "@effect-iamport/client"
import { SqlWriteJournal } from "@effect-iamport/sql"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import { SqlClient } from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { databases } from "./databases.js"

let tables = 0
const journalTable = () => `journal_${process.pid}_${Date.now()}_${++tables}`

const rows = (table: string) =>
  Effect.flatMap(SqlClient, (sql) =>
    sql<{ id: string; state: string; imp_uid: string | null }>`
      SELECT id, state, imp_uid FROM ${sql(table)} ORDER BY recorded_at, id`.pipe(
      Effect.map((found) => found.map((row) => [row.id, row.state, row.imp_uid]))
    )
  )

for (const database of databases) {
  describe(`SqlWriteJournal on ${database.name}`, () => {
    it.scopedLive("records open, settles once; pending lists what is open, with its request as recorded", () =>
      Effect.gen(function* () {
        const table = journalTable()
        const db = yield* Layer.build(database.fresh().connect())
        yield* SqlWriteJournal.migrate({ table }).pipe(Effect.provide(db))
        yield* SqlWriteJournal.migrate({ table }).pipe(Effect.provide(db)) // idempotent
        const journal = yield* SqlWriteJournal.make({ table }).pipe(Effect.provide(db))
        const cancel = {
          id: "w1",
          operation: "cancel",
          target: "imp_1",
          request: { imp_uid: "imp_1", amount: 10.3, checksum: 20.6, extra: { requester: "admin" } },
          checksum: 20.6,
          cancellations: 2
        } as const
        yield* journal.record(cancel)
        yield* journal.record({
          id: "w2",
          operation: "again",
          target: "sub-1",
          request: { merchant_uid: "sub-1", amount: 9900 }
        })
        yield* journal.record({
          id: "w3",
          operation: "onetime",
          target: "sub-2",
          request: { merchant_uid: "sub-2", amount: 1 }
        })
        assert.deepStrictEqual(yield* journal.pending, [
          { ...cancel, state: "pending" },
          {
            id: "w2",
            operation: "again",
            target: "sub-1",
            request: { merchant_uid: "sub-1", amount: 9900 },
            checksum: undefined,
            cancellations: undefined,
            state: "pending"
          },
          {
            id: "w3",
            operation: "onetime",
            target: "sub-2",
            request: { merchant_uid: "sub-2", amount: 1 },
            checksum: undefined,
            cancellations: undefined,
            state: "pending"
          }
        ])
        yield* journal.settle("w1", { state: "confirmed", impUid: "imp_1" })
        yield* journal.settle("w2", { state: "unknown" })
        yield* journal.settle("w3", { state: "failed" })
        // settled entries never change again; an unknown one can still be settled
        yield* journal.settle("w1", { state: "unknown" })
        yield* journal.settle("w3", { state: "confirmed", impUid: "imp_3" })
        assert.deepStrictEqual(
          (yield* journal.pending).map((e) => [e.id, e.state]),
          [["w2", "unknown"]]
        )
        yield* journal.settle("w2", { state: "confirmed", impUid: "imp_2" })
        assert.deepStrictEqual(yield* journal.pending, [])
        assert.deepStrictEqual(yield* rows(table).pipe(Effect.provide(db)), [
          ["w1", "confirmed", "imp_1"],
          ["w2", "confirmed", "imp_2"],
          ["w3", "failed", null]
        ])
        // purge keeps what is younger than asked, and deletes settled entries older than it
        assert.strictEqual(yield* SqlWriteJournal.purge("1 hour", { table }).pipe(Effect.provide(db)), 0)
        yield* journal.record({ id: "w4", operation: "cancel", target: "imp_4", request: {}, checksum: 1 })
        yield* Effect.sleep("20 millis")
        assert.strictEqual(yield* SqlWriteJournal.purge(0, { table }).pipe(Effect.provide(db)), 3)
        assert.deepStrictEqual(
          (yield* journal.pending).map((e) => e.id),
          ["w4"]
        )
      })
    )

    it.scopedLive("a cancel left unknown is kept in the database, and reconcilePending resends it once", () =>
      Effect.gen(function* () {
        const table = journalTable()
        const db = yield* Layer.build(database.fresh().connect())
        yield* SqlWriteJournal.migrate({ table }).pipe(Effect.provide(db))
        const api = yield* Layer.build(IamportTest.layer())
        const journal = yield* SqlWriteJournal.make({ table }).pipe(Effect.provide(db))
        const services = Context.add(api, WriteJournal.WriteJournal, journal)
        const emulator = yield* IamportEmulator.IamportEmulator.pipe(Effect.provide(api))
        const payment = yield* emulator.seedPayment({ amount: 1000 })
        // dropped before it was processed, and i'mport unreachable for the look-up: the outcome stays unknown
        yield* emulator.injectFaults(IamportEmulator.Fault.Drop(), { route: "/payments/cancel" })
        yield* emulator.injectFaults(IamportEmulator.Fault.Status({ status: 503 }), {
          route: `/payments/${payment.imp_uid}`,
          count: 4
        })
        const error = yield* Payments.cancel({ imp_uid: payment.imp_uid, checksum: 1000 }).pipe(
          Effect.flip,
          Effect.provide(services)
        )
        assert.isTrue(error._tag === "IamportTransportError" && error.mayHaveBeenProcessed)
        const [open] = yield* rows(table).pipe(Effect.provide(db))
        assert.deepStrictEqual(open?.slice(1), ["unknown", null])

        yield* emulator.clearFaults
        const settled = yield* Payments.reconcilePending().pipe(Effect.provide(services))
        assert.deepStrictEqual(
          settled.map((s) => [s.state, s.impUid]),
          [["confirmed", payment.imp_uid]]
        )
        const after = Option.getOrThrow(yield* emulator.payment(payment.imp_uid))
        assert.strictEqual(after.cancel_history.length, 1)
        assert.strictEqual((yield* emulator.counters).requests["POST /payments/cancel"], 2)
        assert.deepStrictEqual(yield* rows(table).pipe(Effect.provide(db)), [[open![0], "confirmed", payment.imp_uid]])
        assert.deepStrictEqual(yield* journal.pending, [])
      })
    )
  })
}
