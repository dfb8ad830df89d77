/**
 * Scenario 2, clock skew, against the emulator with its default 30-minute tokens.
 *
 * - `behind`: the emulator's clock 40 minutes behind the client's; `calls`
 *   sequential lookups (no time passes): getToken requests and failures.
 * - `ahead`: the emulator's clock 10 minutes ahead; `calls` sequential lookups
 *   spaced `stepMs` apart in virtual time (every clock in the process jumps
 *   between two calls, see `virtualTime.ts`), so the run spans
 *   `calls * stepMs` = 40 minutes and crosses the first token's expiry:
 *   failed calls, expired tokens presented, 401s, getToken requests.
 */
import { adapters, type ClientName } from "../clients.js"
import { IMP_UID, startEmulator } from "../emulator.js"
import * as VirtualTime from "../virtualTime.js"

export interface SkewResult {
  readonly getToken: number
  readonly tokensIssued: number
  readonly failures: number
  readonly expiredTokensPresented: number
  readonly unauthorized: number
}

export const behindMinutes = 40
export const aheadMinutes = 10

const sequential = async (
  client: ClientName,
  offsetMinutes: number,
  calls: number,
  stepMs: number
): Promise<SkewResult> => {
  const emulator = await startEmulator()
  const time = stepMs > 0 ? VirtualTime.install() : undefined
  const session = await adapters[client].open({ ...emulator.target, clock: time?.clock })
  try {
    await emulator.setClockOffset(offsetMinutes * 60_000)
    let failures = 0
    for (let i = 0; i < calls; i++) {
      await session.getPayment(IMP_UID).catch(() => failures++)
      time?.jump(stepMs)
    }
    const c = await emulator.counters()
    return {
      getToken: c.getTokenCalls,
      tokensIssued: c.tokensIssued,
      failures,
      expiredTokensPresented: c.expiredTokensPresented,
      unauthorized: c.unauthorized
    }
  } finally {
    time?.uninstall()
    await session.close()
    await emulator.close()
  }
}

export const behind = (client: ClientName, calls: number) => sequential(client, -behindMinutes, calls, 0)

export const ahead = (client: ClientName, calls: number, spanMinutes: number) =>
  sequential(client, aheadMinutes, calls, (spanMinutes * 60_000) / calls)
