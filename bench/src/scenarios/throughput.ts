/**
 * Scenario 3, throughput: each client in its own fresh Node process (same
 * starting point for every client's heap and JIT, and `process.cpuUsage()`
 * then counts that client alone) against one fixed-answer server in another
 * process. Per concurrency: a warm-up, a full GC, then `seconds` of closed-loop
 * calls: requests/s, p50 and p99 latency, client CPU (user + system) per 1,000
 * calls. The loop is in `throughputWorker.ts`. `median` combines the rounds of a run.
 */
import { runWorker } from "../child.js"
import type { PhaseResult, WorkerInput } from "./throughputWorker.js"

export type { PhaseResult }

export const run = (input: WorkerInput): Promise<ReadonlyArray<PhaseResult>> =>
  runWorker<WorkerInput, ReadonlyArray<PhaseResult>>("./scenarios/throughputWorker.ts", input)

/** Per concurrency, each figure's median over the rounds of one client (the calls and failures added up). */
export const median = (rounds: ReadonlyArray<ReadonlyArray<PhaseResult>>): ReadonlyArray<PhaseResult> =>
  rounds[0]!.map((first, i) => {
    const of = (figure: (r: PhaseResult) => number) => {
      const sorted = rounds.map((round) => figure(round[i]!)).sort((a, b) => a - b)
      const middle = sorted.length >> 1
      return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
    }
    return {
      concurrency: first.concurrency,
      calls: rounds.reduce((n, round) => n + round[i]!.calls, 0),
      failures: rounds.reduce((n, round) => n + round[i]!.failures, 0),
      rps: of((r) => r.rps),
      p50Ms: of((r) => r.p50Ms),
      p99Ms: of((r) => r.p99Ms),
      cpuMsPer1000: of((r) => r.cpuMsPer1000)
    }
  })
