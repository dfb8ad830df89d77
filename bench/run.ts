/**
 * `pnpm bench`: our client against a bare undici request and the npm peers.
 * Prints a table and writes `results.json` (see `src/report.ts` and
 * BENCHMARKS.md). Environment knobs, for quicker or longer runs:
 * `BENCH_SECONDS` (throughput phase, default 3), `BENCH_MEMORY_CALLS`
 * (default 200000) and `BENCH_MEMORY_SECONDS` (its time cap, default 30).
 * `BENCH_SECONDS` also sets the length of each of scenario 6's measurements. `BENCH_ROUNDS` (default 3):
 * the throughput scenario runs every client that many times, in turn, and keeps each figure's median (the
 * machine's load drifts over a run; one process per client and round).
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import { startFixedServer } from "./src/child.js"
import { clientNames, type ClientName } from "./src/clients.js"
import { samplePayment } from "./src/emulator.js"
import { type Results, pivot, render, targets } from "./src/report.js"
import * as Decode from "./src/scenarios/decode.js"
import * as EmulatorSpeed from "./src/scenarios/emulatorSpeed.js"
import * as Herd from "./src/scenarios/herd.js"
import * as Memory from "./src/scenarios/memory.js"
import * as Skew from "./src/scenarios/skew.js"
import * as Throughput from "./src/scenarios/throughput.js"
import * as TokenLookup from "./src/scenarios/tokenLookup.js"

const HERD_CALLS = 1_000
const SKEW_CALLS = 200
const SKEW_SPAN_MINUTES = 40
const CONCURRENCIES = [1, 64]
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const WARMUP_SECONDS = 1
const LOOKUPS = 200_000
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 200_000)
const MEMORY_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 30)
const EMULATOR_FIBERS = 16
const DECODES = 200_000

/** Clients of the token scenarios: ours on undici stands for both of ours (the cache is the same). */
const tokenClients: ReadonlyArray<ClientName> = ["ours", "raw", "iamport", "iamport-rest-client-nodejs"]

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

/** Runs `f` for each client in turn, keyed by client. */
const each = async <A>(clients: ReadonlyArray<ClientName>, f: (client: ClientName) => Promise<A>) => {
  const out: Partial<Record<ClientName, A>> = {}
  for (const client of clients) out[client] = await f(client)
  return out
}

const started = performance.now()

log(`1. cold herd (${HERD_CALLS} calls)`)
const herd = pivot(await each(tokenClients, (c) => Herd.run(c, HERD_CALLS)))

log("2. clock skew")
const skewClients = tokenClients.filter((c) => c !== "raw")
const behind = pivot(await each(skewClients, (c) => Skew.behind(c, SKEW_CALLS)))
const ahead = pivot(await each(skewClients, (c) => Skew.ahead(c, SKEW_CALLS, SKEW_SPAN_MINUTES)))

log(`3. throughput (${SECONDS} s per phase, ${ROUNDS} rounds)`)
const server = await startFixedServer(await samplePayment())
const rounds: Array<Partial<Record<ClientName, ReadonlyArray<Throughput.PhaseResult>>>> = []
for (let round = 1; round <= ROUNDS; round++) {
  rounds.push(
    await each(clientNames, (client) => {
      log(`   round ${round}: ${client}`)
      return Throughput.run({
        client,
        url: server.url,
        concurrencies: CONCURRENCIES,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS
      })
    })
  )
}
server.stop()
const phases = Object.fromEntries(
  clientNames.map((client) => [client, Throughput.median(rounds.map((round) => round[client]!))])
)
const throughput = Object.fromEntries(
  CONCURRENCIES.map((concurrency, i) => {
    const byClient = Object.fromEntries(
      Object.entries(phases).map(([client, results]) => {
        const { concurrency: _, ...figures } = results[i]!
        return [client, figures]
      })
    )
    return [`c${concurrency}`, pivot(byClient, 3)]
  })
)

log("4. warm token lookup")
const lookup = await TokenLookup.run(LOOKUPS)

log(`5. memory (${MEMORY_CALLS} calls)`)
const memory = await Memory.run(MEMORY_CALLS, MEMORY_SECONDS)

log(`6. emulator: in-process vs loopback HTTP to the CLI emulator (${SECONDS} s each)`)
const emulator = await EmulatorSpeed.run(EMULATOR_FIBERS, SECONDS, WARMUP_SECONDS)

log("7. decoding a Payment")
const decode = await Decode.run(await samplePayment(), DECODES)

const figures = {
  herd: { calls: HERD_CALLS, ...herd },
  skew: {
    behind: { minutes: -Skew.behindMinutes, calls: SKEW_CALLS, ...behind },
    ahead: {
      minutes: Skew.aheadMinutes,
      calls: SKEW_CALLS,
      spanMinutes: SKEW_SPAN_MINUTES,
      stepSeconds: (SKEW_SPAN_MINUTES * 60) / SKEW_CALLS,
      ...ahead
    }
  },
  throughput: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, rounds: ROUNDS, ...throughput },
  tokenLookupNs: Math.round(lookup.ns),
  tokenLookupLoopNs: Math.round(lookup.loopNs),
  memory: {
    calls: memory.calls,
    requestedCalls: memory.requestedCalls,
    heapBeforeMB: Math.round(memory.heapBeforeMB * 100) / 100,
    heapAfterMB: Math.round(memory.heapAfterMB * 100) / 100,
    heapGrowthMB: Math.round(memory.heapGrowthMB * 100) / 100,
    seconds: Math.round(memory.seconds * 10) / 10,
    callsPerSecond: Math.round(memory.calls / memory.seconds)
  },
  emulator: {
    fibers: emulator.fibers,
    seconds: emulator.seconds,
    inProcessCallsPerSecond: Math.round(emulator.inProcessCallsPerSecond),
    loopbackCallsPerSecond: Math.round(emulator.loopbackCallsPerSecond),
    loopbackNodeClientCallsPerSecond: Math.round(emulator.loopbackNodeClientCallsPerSecond),
    ratio: Math.round(emulator.ratio * 100) / 100,
    ratioToNodeClient: Math.round(emulator.ratioToNodeClient * 100) / 100
  },
  decode: {
    fastMicros: Math.round(decode.fastMicros * 100) / 100,
    schemaMicros: Math.round(decode.schemaMicros * 100) / 100,
    jsonParseMicros: Math.round(decode.jsonParseMicros * 100) / 100,
    speedup: Math.round(decode.speedup * 10) / 10
  }
} as Omit<Results, "targets" | "meta">

const results: Results = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    nproc: Os.availableParallelism(),
    cpu: Os.cpus()[0]?.model.trim() ?? "unknown",
    loadAverage: Os.loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    totalSeconds: Math.round((performance.now() - started) / 100) / 10
  },
  ...figures,
  targets: targets(figures)
}

const file = new URL("./results.json", import.meta.url)
Fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`${render(results, clientNames)}\n`)
process.exit(0)
