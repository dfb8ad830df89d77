/**
 * The throughput worker: one client, in its own process (see `throughput.ts`).
 * Receives a `WorkerInput` over IPC and answers with one `PhaseResult` per
 * concurrency.
 */
import { adapters, type ClientName, type Session } from "../clients.js"
import { IMP_UID } from "../emulator.js"
import { gc, Samples } from "../stats.js"

export interface WorkerInput {
  readonly client: ClientName
  readonly url: string
  readonly concurrencies: ReadonlyArray<number>
  readonly seconds: number
  readonly warmupSeconds: number
}

export interface PhaseResult {
  readonly concurrency: number
  readonly calls: number
  readonly failures: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly cpuMsPer1000: number
}

/** `concurrency` closed loops of calls for `seconds`. */
const phase = async (session: Session, concurrency: number, seconds: number): Promise<PhaseResult> => {
  const latencies = new Samples()
  let failures = 0
  const cpu = process.cpuUsage()
  const start = performance.now()
  const deadline = start + seconds * 1000
  const loop = async () => {
    while (performance.now() < deadline) {
      const t = performance.now()
      try {
        await session.getPayment(IMP_UID)
      } catch {
        failures++
      }
      latencies.push(performance.now() - t)
    }
  }
  const record = (ms: number) => latencies.push(ms)
  await (session.loops === undefined
    ? Promise.all(Array.from({ length: concurrency }, loop))
    : session.loops(IMP_UID, concurrency, deadline, record, () => failures++))
  const elapsed = performance.now() - start
  const used = process.cpuUsage(cpu)
  const calls = latencies.length
  return {
    concurrency,
    calls,
    failures,
    rps: (calls / elapsed) * 1000,
    p50Ms: latencies.quantile(0.5),
    p99Ms: latencies.quantile(0.99),
    cpuMsPer1000: ((used.user + used.system) / 1000 / calls) * 1000
  }
}

process.once("message", async (input: WorkerInput) => {
  const session = await adapters[input.client].open({
    url: input.url,
    apiKey: "imp_apikey",
    apiSecret: "bench-secret"
  })
  const results: Array<PhaseResult> = []
  for (const concurrency of input.concurrencies) {
    await phase(session, concurrency, input.warmupSeconds)
    gc()
    results.push(await phase(session, concurrency, input.seconds))
  }
  await session.close()
  process.send!(results, () => process.exit(0))
})
