/**
 * Scenario 1, cold herd: `calls` concurrent `getPayment` on a fresh client
 * (cold token cache) against a fresh emulator. Counts getToken requests the
 * emulator saw and the wall time until the last answer.
 */
import { adapters, type ClientName } from "../clients.js"
import { IMP_UID, startEmulator } from "../emulator.js"

export interface HerdResult {
  readonly getToken: number
  readonly wallMs: number
  readonly failures: number
}

const herd = async (client: ClientName, calls: number): Promise<HerdResult> => {
  const emulator = await startEmulator()
  const session = await adapters[client].open(emulator.target)
  try {
    const start = performance.now()
    const outcomes = await Promise.allSettled(Array.from({ length: calls }, () => session.getPayment(IMP_UID)))
    const wallMs = performance.now() - start
    const counters = await emulator.counters()
    return {
      getToken: counters.getTokenCalls,
      wallMs,
      failures: outcomes.filter((o) => o.status === "rejected").length
    }
  } finally {
    await session.close()
    await emulator.close()
  }
}

/** Runs the herd once small (warm-up: module loading, JIT), then measured. */
export const run = async (client: ClientName, calls: number): Promise<HerdResult> => {
  await herd(client, 50)
  return herd(client, calls)
}
