/**
 * The webhook server as a fleet: two separate Node processes of `main.ts` share one PostgreSQL
 * database (a schema of their own per run), behind no load balancer but the test, which spreads i'mport's
 * deliveries over both. The emulator runs here, over real sockets on 127.0.0.1.
 */
import { IamportEmulator } from "@effect-iamport/testing"
import * as PgClient from "@effect/sql-pg/PgClient"
import { SqlClient } from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Schedule, type Scope } from "effect"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const pgUrl = process.env.IAMPORT_TEST_PG_URL ?? "postgres://iamport:iamport@127.0.0.1:5432/iamport_test"
const schema = `fleet_${process.pid}_${Date.now()}`
/** The database URL every process of this run uses: its own schema, through the connection's search_path. */
const databaseUrl = `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`
const main = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "main.ts")

/** One instance of the server in its own Node process; killed with SIGKILL when the scope closes. */
const instance = (baseUrl: string, env: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly child: ChildProcess.ChildProcess }, Error>((resume) => {
      const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", main], {
        env: {
          ...process.env,
          IMP_KEY: IamportEmulator.DEFAULT_API_KEY,
          IMP_SECRET: IamportEmulator.DEFAULT_API_SECRET,
          IAMPORT_BASE_URL: baseUrl,
          DATABASE_URL: databaseUrl,
          PORT: "0",
          WEBHOOK_LEASE_MS: "2000",
          ...env
        },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      const timer = setTimeout(() => resume(Effect.fail(new Error(`no address in 20 s: ${output}`))), 20_000)
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        const address = /Listening on (http:\/\/[\d.]+:\d+)/.exec(output)
        if (address) {
          clearTimeout(timer)
          resume(Effect.succeed({ url: `${address[1]}/portone-webhook`, child }))
        }
      }
      child.stdout.on("data", read)
      child.stderr.on("data", read)
      child.on("exit", (code) => {
        clearTimeout(timer)
        resume(Effect.fail(new Error(`exited with ${code}: ${output}`)))
      })
    }),
    ({ child }) => Effect.sync(() => child.kill("SIGKILL"))
  )

/** The test's own connection to the run's schema (made first, so the instances find it). */
const Database = Layer.unwrapEffect(
  Effect.gen(function* () {
    const setup = yield* Layer.build(PgClient.layer({ url: Redacted.make(pgUrl) }))
    yield* Effect.flatMap(SqlClient, (sql) => sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`)).pipe(
      Effect.provide(setup)
    )
    return PgClient.layer({ url: Redacted.make(databaseUrl), maxConnections: 2 })
  })
)

const Emulator = IamportEmulator.layerWithServer()

/** Waits (real time, bounded) until `check` holds. */
const until = <A>(
  check: Effect.Effect<A, unknown, SqlClient | IamportEmulator.IamportEmulator>,
  done: (a: A) => boolean
) =>
  check.pipe(
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo(Duration.seconds(20))))
  )

const orderRow = (merchantUid: string) =>
  Effect.flatMap(SqlClient, (sql) =>
    sql<{ state: string; applied: number; refused: number }>`
      SELECT state, applied, refused FROM example_orders WHERE merchant_uid = ${merchantUid}`.pipe(
      Effect.map(([row]) => row && { state: row.state, applied: Number(row.applied), refused: Number(row.refused) })
    )
  )

/** POSTs a webhook as i'mport does, again after a 5xx (at most 10 times, 200 ms apart); the statuses, in order. */
const deliverUntilAccepted = (url: string, body: string) =>
  Effect.gen(function* () {
    const statuses: Array<number> = []
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = yield* Effect.promise(() =>
        fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } })
      )
      statuses.push(response.status)
      if (response.status < 500) return statuses
      yield* Effect.sleep("200 millis")
    }
    return statuses
  })

const placeOrder = (merchantUid: string, amount: number) =>
  Effect.flatMap(
    SqlClient,
    (sql) =>
      sql`INSERT INTO example_orders (merchant_uid, amount, state, applied, refused)
        VALUES (${merchantUid}, ${amount}, 'pending', 0, 0)`
  )

/** Two instances on the run's database; the orders table is made by the first. */
const fleet = (baseUrl: string, envA: Record<string, string> = {}, envB: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const a = yield* instance(baseUrl, envA)
    const b = yield* instance(baseUrl, envB)
    return { a, b }
  }) satisfies Effect.Effect<unknown, Error, Scope.Scope>

describe("examples/webhook-server as a fleet on PostgreSQL", () => {
  it.scopedLive(
    "20 deliveries of one genuine webhook over two processes: onVerified runs once, and the fleet asks for one token",
    () =>
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const { url } = yield* IamportEmulator.IamportEmulatorServer
        // writes take 500 ms, so that deliveries overlap across the processes
        const slow = { ORDER_APPLY_DELAY_MS: "500" }
        const { a, b } = yield* fleet(url, slow, slow)
        yield* placeOrder("fleet-order-1", 25_000)
        const payment = yield* emulator.seedPayment({ merchant_uid: "fleet-order-1", amount: 25_000, notify: false })
        // i'mport's deliveries, all at once, alternating between the two processes; a 5xx is sent again
        const body = JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: "fleet-order-1", status: "paid" })
        const statuses = yield* Effect.forEach(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a.url : b.url)),
          (target) => deliverUntilAccepted(target, body),
          { concurrency: "unbounded" }
        )
        const order = yield* until(orderRow("fleet-order-1"), (o) => o?.state === "paid")
        const counters = yield* emulator.counters
        const first = statuses.map((s) => s[0]!)
        console.log(
          `fleet: 20 concurrent deliveries over 2 processes: first answers ${first.filter((s) => s === 200).length} x 200, ${first.filter((s) => s === 503).length} x 503 (in flight elsewhere, sent again: all 200 in the end); onVerified ran ${order!.applied + order!.refused} time(s); getToken ${counters.getTokenCalls}; expired tokens presented ${counters.expiredTokensPresented}`
        )
        // every onVerified call either moved the order or was refused: once in all
        assert.deepStrictEqual([order!.applied, order!.refused], [1, 0])
        assert.isTrue(statuses.every((answers) => answers.at(-1) === 200))
        assert.strictEqual(counters.getTokenCalls, 1)
        assert.strictEqual(counters.expiredTokensPresented, 0)
      }).pipe(Effect.provide(Layer.merge(Emulator, Database))),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "an instance killed (SIGKILL) inside onVerified: the other refuses while the claim holds, then completes the order",
    () =>
      Effect.gen(function* () {
        const emulator = yield* IamportEmulator.IamportEmulator
        const { url } = yield* IamportEmulator.IamportEmulatorServer
        // instance a writes orders slowly: it is killed while it writes
        const { a, b } = yield* fleet(url, { ORDER_APPLY_DELAY_MS: "30000" })
        yield* placeOrder("fleet-order-2", 8_000)
        const payment = yield* emulator.seedPayment({ merchant_uid: "fleet-order-2", amount: 8_000, notify: false })
        const webhook = { imp_uid: payment.imp_uid, merchant_uid: "fleet-order-2", status: "paid" }
        yield* emulator.sendWebhook({ ...webhook, url: a.url })
        // a has claimed the state and is inside onVerified
        yield* until(
          Effect.flatMap(
            SqlClient,
            (sql) =>
              sql<{ n: unknown }>`SELECT count(*) AS n FROM iamport_webhook_deliveries
              WHERE done = 0 AND key LIKE ${`%|${payment.imp_uid}|%`}`
          ),
          ([row]) => Number(row?.n) === 1
        )
        a.child.kill("SIGKILL")
        // i'mport's resend reaches b while a's claim holds: 5xx, so that i'mport tries again
        yield* emulator.sendWebhook({ ...webhook, url: b.url })
        const refused = yield* until(emulator.webhookDeliveries, (d) => d.some((x) => x.url === b.url))
        assert.strictEqual(refused.find((x) => x.url === b.url)?.status, 503)
        assert.strictEqual((yield* orderRow("fleet-order-2"))?.state, "pending")
        // after the 2 s lease, the next resend takes the claim over and completes the order
        yield* Effect.sleep("2200 millis")
        yield* emulator.sendWebhook({ ...webhook, url: b.url })
        const order = yield* until(orderRow("fleet-order-2"), (o) => o?.state === "paid")
        const last = (yield* emulator.webhookDeliveries).filter((x) => x.url === b.url).at(-1)
        console.log(
          `fleet: killed inside onVerified; resend during the lease: ${refused.find((x) => x.url === b.url)?.status}; after it: ${last?.status}; order ${order!.state}, applied ${order!.applied}`
        )
        assert.strictEqual(last?.status, 200)
        assert.deepStrictEqual([order!.applied, order!.refused], [1, 0])
      }).pipe(Effect.provide(Layer.merge(Emulator, Database))),
    { timeout: 60_000 }
  )
})
