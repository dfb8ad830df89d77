/**
 * Scenario 3, throughput: each client in its own fresh Node process (same
 * starting point for every client's heap and JIT, and `process.cpuUsage()`
 * then counts that client alone) against one fixed-answer server in another
 * process. Per concurrency: a warm-up, a full GC, then `seconds` of closed-loop
 * calls: requests/s, p50 and p99 latency, client CPU (user + system) per 1,000
 * calls. The loop is in `throughputWorker.ts`.
 */
import { runWorker } from "../child.js"
import type { PhaseResult, WorkerInput } from "./throughputWorker.js"

export const run = (input: WorkerInput): Promise<ReadonlyArray<PhaseResult>> =>
  runWorker<WorkerInput, ReadonlyArray<PhaseResult>>("./scenarios/throughputWorker.ts", input)
