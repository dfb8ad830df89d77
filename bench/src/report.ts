/**
 * The results: the JSON written to `results.json` (keyed by scenario, then by
 * client), the targets of issues 8 and 19 checked against it, and the table
 * printed on stdout.
 */
import type { ClientName } from "./clients.js"
import type { DecodeResult } from "./scenarios/decode.js"
import type { EmulatorSpeedResult } from "./scenarios/emulatorSpeed.js"
import type { MemoryResult } from "./scenarios/memory.js"
import type { SkewResult } from "./scenarios/skew.js"
import type { PhaseResult } from "./scenarios/throughputWorker.js"
import { round } from "./stats.js"

type ByClient<A> = Partial<Record<ClientName, A>>

export interface Results {
  readonly meta: {
    readonly date: string
    readonly node: string
    readonly nproc: number
    readonly cpu: string
    readonly loadAverage: string
    readonly totalSeconds: number
  }
  readonly herd: {
    readonly calls: number
    readonly getToken: ByClient<number>
    readonly wallMs: ByClient<number>
    readonly failures: ByClient<number>
  }
  readonly skew: {
    readonly behind: { readonly minutes: number; readonly calls: number } & Pivot<SkewResult>
    readonly ahead: {
      readonly minutes: number
      readonly calls: number
      readonly spanMinutes: number
      readonly stepSeconds: number
    } & Pivot<SkewResult>
  }
  readonly throughput: {
    readonly seconds: number
    readonly warmupSeconds: number
    /** Runs of every client; each figure is the median over them. */
    readonly rounds: number
    readonly [phase: `c${number}`]: Pivot<Omit<PhaseResult, "concurrency">>
  }
  readonly tokenLookupNs: number
  readonly tokenLookupLoopNs: number
  readonly memory: MemoryResult & { readonly callsPerSecond: number }
  readonly emulator: EmulatorSpeedResult
  readonly decode: DecodeResult
  readonly targets: Record<string, Target>
}

/** One figure per client, keyed by figure first: `{ rps: { ours: 1, raw: 2 } }`. */
export type Pivot<A> = { readonly [K in keyof A]: ByClient<A[K]> }

export interface Target {
  /** The issue that set the target. */
  readonly issue: 8 | 19
  readonly want: string
  readonly measured: string
  readonly met: boolean
}

/** `{ ours: {a, b}, raw: {a, b} }` to `{ a: { ours, raw }, b: { ours, raw } }`, numbers rounded. */
export const pivot = <A extends object>(byClient: ByClient<A>, digits = 2): Pivot<A> => {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [client, result] of Object.entries(byClient) as Array<[ClientName, A]>) {
    for (const [key, value] of Object.entries(result)) {
      ;(out[key] ??= {})[client] = typeof value === "number" ? round(value, digits) : value
    }
  }
  return out as Pivot<A>
}

const peers = ["iamport", "iamport-rest-client-nodejs"] as const

/** The targets of issues 8 and 19, checked. */
export const targets = (r: Omit<Results, "targets" | "meta">): Record<string, Target> => {
  const c1 = r.throughput.c1!
  const c64 = r.throughput.c64!
  const ours = <A>(m: ByClient<A>) => m.ours!
  const ratio = (a: number, b: number) => round(a / b, 2)
  const fasterPeer = Math.max(...peers.map((p) => c64.rps[p] ?? 0))
  const fasterPeerName = peers.reduce((a, b) => ((c64.rps[b] ?? 0) > (c64.rps[a] ?? 0) ? b : a))
  const t = (want: string, measured: string, met: boolean, issue: 8 | 19 = 8): Target => ({
    issue,
    want,
    measured,
    met
  })
  return {
    herdGetToken: t(
      "1 getToken, 0 failures (cold herd)",
      `${ours(r.herd.getToken)} getToken, ${ours(r.herd.failures)} failures`,
      ours(r.herd.getToken) === 1 && ours(r.herd.failures) === 0
    ),
    skewBehindGetToken: t(
      "1 getToken, 0 failures (clock 40 min behind)",
      `${ours(r.skew.behind.getToken)} getToken, ${ours(r.skew.behind.failures)} failures`,
      ours(r.skew.behind.getToken) === 1 && ours(r.skew.behind.failures) === 0
    ),
    skewAheadFailures: t(
      "0 failures, 0 expired tokens presented (clock 10 min ahead, across expiry)",
      `${ours(r.skew.ahead.failures)} failures, ${ours(r.skew.ahead.expiredTokensPresented)} expired presented`,
      ours(r.skew.ahead.failures) === 0 && ours(r.skew.ahead.expiredTokensPresented) === 0
    ),
    c64VsRaw: t(
      "ours >= 0.90 x raw requests/s at c64",
      `${ratio(ours(c64.rps), c64.rps.raw!)} x`,
      ours(c64.rps) >= 0.9 * c64.rps.raw!
    ),
    c1P50VsRaw: t(
      "ours p50 <= 1.1 x raw at c1",
      `${ratio(ours(c1.p50Ms), c1.p50Ms.raw!)} x`,
      ours(c1.p50Ms) <= 1.1 * c1.p50Ms.raw!
    ),
    c64VsPeers: t(
      "ours >= 1.5 x the faster peer's requests/s at c64",
      `${ratio(ours(c64.rps), fasterPeer)} x`,
      ours(c64.rps) >= 1.5 * fasterPeer
    ),
    cpuVsRaw: t(
      "ours CPU per call <= 1.2 x raw at c64",
      `${ratio(ours(c64.cpuMsPer1000), c64.cpuMsPer1000.raw!)} x`,
      ours(c64.cpuMsPer1000) <= 1.2 * c64.cpuMsPer1000.raw!
    ),
    tokenLookup: t("warm token lookup < 1000 ns", `${round(r.tokenLookupNs, 0)} ns`, r.tokenLookupNs < 1000),
    heapGrowth: t(
      "heap growth < 5 MB over the memory run",
      `${round(r.memory.heapGrowthMB, 2)} MB`,
      r.memory.heapGrowthMB < 5
    ),
    c64VsPeer19: t(
      "ours >= 1.2 x the faster peer's requests/s at c64",
      `${ratio(ours(c64.rps), fasterPeer)} x (${fasterPeerName})`,
      ours(c64.rps) >= 1.2 * fasterPeer,
      19
    ),
    c64CpuVsPeer19: t(
      "ours CPU per call <= 0.8 x the faster peer's at c64",
      `${ratio(ours(c64.cpuMsPer1000), c64.cpuMsPer1000[fasterPeerName]!)} x (${fasterPeerName})`,
      ours(c64.cpuMsPer1000) <= 0.8 * c64.cpuMsPer1000[fasterPeerName]!,
      19
    ),
    c64CpuVsRaw19: t(
      "ours CPU per call <= 2.5 x raw at c64",
      `${ratio(ours(c64.cpuMsPer1000), c64.cpuMsPer1000.raw!)} x`,
      ours(c64.cpuMsPer1000) <= 2.5 * c64.cpuMsPer1000.raw!,
      19
    ),
    c1P50VsRaw19: t(
      "ours p50 <= 1.3 x raw at c1",
      `${ratio(ours(c1.p50Ms), c1.p50Ms.raw!)} x`,
      ours(c1.p50Ms) <= 1.3 * c1.p50Ms.raw!,
      19
    ),
    tokenLookup19: t("warm token lookup < 1 µs", `${round(r.tokenLookupNs, 0)} ns`, r.tokenLookupNs < 1000, 19),
    heapGrowth19: t(
      "heap growth < 5 MB over the memory run, which reaches its 200,000 calls",
      `${round(r.memory.heapGrowthMB, 2)} MB over ${r.memory.calls} calls (${r.memory.callsPerSecond} calls/s)`,
      r.memory.heapGrowthMB < 5 && r.memory.calls >= 200_000,
      19
    ),
    oursEffect19: t(
      "ours-effect >= ours requests/s (c64 and c1)",
      `${ratio(c64.rps["ours-effect"]!, ours(c64.rps))} x at c64, ${ratio(c1.rps["ours-effect"]!, ours(c1.rps))} x at c1`,
      c64.rps["ours-effect"]! >= ours(c64.rps) && c1.rps["ours-effect"]! >= ours(c1.rps),
      19
    ),
    emulator19: t(
      "in-process emulator >= 5 x the same client over loopback HTTP to the CLI emulator",
      `${round(r.emulator.ratio, 2)} x (${round(r.emulator.inProcessCallsPerSecond, 0)} vs ${round(r.emulator.loopbackCallsPerSecond, 0)} calls/s)`,
      r.emulator.ratio >= 5,
      19
    )
  }
}

/** A plain-text table: a header row and rows of cells, columns padded. */
const table = (title: string, header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
  const cells = [header, ...rows.map((row) => row.map((c) => (c === undefined ? "-" : String(c))))]
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  const line = (row: ReadonlyArray<string>) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return [`\n${title}`, line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join(
    "\n"
  )
}

/** The whole report as text. */
export const render = (r: Results, clients: ReadonlyArray<ClientName>): string => {
  const tc = (clientsOf: object) => clients.filter((c) => c in clientsOf)
  const herdClients = tc(r.herd.getToken)
  const behindClients = tc(r.skew.behind.getToken)
  const phases = Object.keys(r.throughput).filter((k) => /^c\d+$/.test(k)) as Array<`c${number}`>
  return [
    `effect-iamport benchmarks  (${r.meta.date}, node ${r.meta.node}, ${r.meta.nproc} x ${r.meta.cpu}, load ${r.meta.loadAverage})`,
    table(
      `1. Cold herd: ${r.herd.calls} concurrent getPayment on a cold cache (emulator over loopback HTTP)`,
      ["client", "getToken", "failures", "wall ms"],
      herdClients.map((c) => [c, r.herd.getToken[c], r.herd.failures[c], round(r.herd.wallMs[c]!, 0)])
    ),
    table(
      `2. Clock skew: ${r.skew.behind.calls} sequential calls, emulator ${r.skew.behind.minutes} min behind | ` +
        `${r.skew.ahead.calls} calls over ${r.skew.ahead.spanMinutes} virtual min (one every ${r.skew.ahead.stepSeconds} s), emulator ${r.skew.ahead.minutes} min ahead`,
      ["client", "behind: getToken", "failures", "ahead: getToken", "failures", "expired presented", "401s"],
      behindClients.map((c) => [
        c,
        r.skew.behind.getToken[c],
        r.skew.behind.failures[c],
        r.skew.ahead.getToken[c],
        r.skew.ahead.failures[c],
        r.skew.ahead.expiredTokensPresented[c],
        r.skew.ahead.unauthorized[c]
      ])
    ),
    ...phases.map((p) => {
      const ph = r.throughput[p]!
      return table(
        `3. Throughput at concurrency ${p.slice(1)} (${r.throughput.seconds} s after ${r.throughput.warmupSeconds} s warm-up, median of ${r.throughput.rounds} rounds, fixed-answer server in its own process)`,
        ["client", "req/s", "vs raw", "p50 ms", "p99 ms", "client CPU ms/1000 calls", "failures"],
        tc(ph.rps).map((c) => [
          c,
          round(ph.rps[c]!, 0),
          round(ph.rps[c]! / ph.rps.raw!, 2),
          round(ph.p50Ms[c]!, 3),
          round(ph.p99Ms[c]!, 3),
          round(ph.cpuMsPer1000[c]!, 0),
          ph.failures[c]
        ])
      )
    }),
    `\n4. Warm token lookup: ${round(r.tokenLookupNs, 0)} ns per IamportAuth.token (the loop alone: ${round(r.tokenLookupLoopNs, 0)} ns)`,
    `\n5. Memory: ${r.memory.calls} calls (of ${r.memory.requestedCalls} asked; capped by time) through the in-process emulator in ${round(r.memory.seconds, 1)} s: ` +
      `heap after GC ${round(r.memory.heapBeforeMB, 2)} MB -> ${round(r.memory.heapAfterMB, 2)} MB (growth ${round(r.memory.heapGrowthMB, 2)} MB)`,
    `\n6. Emulator (${r.emulator.fibers} fibers, ${r.emulator.seconds} s each): in-process (IamportTest.layer) ${round(r.emulator.inProcessCallsPerSecond, 0)} calls/s, ` +
      `same client over loopback HTTP to the CLI emulator ${round(r.emulator.loopbackCallsPerSecond, 0)} calls/s (${round(r.emulator.ratio, 2)} x); ` +
      `NodeIamportClient over loopback ${round(r.emulator.loopbackNodeClientCallsPerSecond, 0)} calls/s (${round(r.emulator.ratioToNodeClient, 2)} x)`,
    `\n7. Decoding the sample Payment: fast path ${round(r.decode.fastMicros, 2)} µs, Schema ${round(r.decode.schemaMicros, 2)} µs ` +
      `(${round(r.decode.speedup, 1)} x); JSON.parse of the whole answer ${round(r.decode.jsonParseMicros, 2)} µs`,
    table(
      "Targets",
      ["target", "issue", "measured", "met"],
      Object.values(r.targets).map((t) => [t.want, String(t.issue), t.measured, t.met ? "yes" : "NO"])
    ),
    `\ntotal ${round(r.meta.totalSeconds, 1)} s`
  ].join("\n")
}
