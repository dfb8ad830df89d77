/**
 * Virtual time for the "across a token expiry" scenario: every clock in the
 * process (the global `Date`, which the npm peers and the emulator read, and an
 * Effect `Clock` for our client, whose token cache counts on the monotonic
 * clock) jumps forward together by `jump(ms)`, as if that much time had passed
 * with no calls. Sleeps and timeouts stay real.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

export interface VirtualTime {
  /** Our client's clock: real time plus the jumps. */
  readonly clock: Clock.Clock
  /** Moves every clock forward. */
  readonly jump: (millis: number) => void
  /** Puts the real `Date` back. */
  readonly uninstall: () => void
}

/** Replaces the global `Date` with one that follows the jumps. */
export const install = (): VirtualTime => {
  const RealDate = globalThis.Date
  let offset = 0
  const now = () => RealDate.now() + offset
  class VirtualDate extends RealDate {
    constructor(...args: Array<unknown>) {
      if (args.length === 0) super(now())
      else super(...(args as [number]))
    }
    static override now() {
      return now()
    }
  }
  globalThis.Date = VirtualDate as DateConstructor

  const real = Clock.make()
  const nanos = () => real.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: now,
    unsafeCurrentTimeNanos: nanos,
    currentTimeMillis: Effect.sync(now),
    currentTimeNanos: Effect.sync(nanos),
    sleep: (duration) => real.sleep(duration)
  }
  return {
    clock,
    jump: (millis) => {
      offset += millis
    },
    uninstall: () => {
      globalThis.Date = RealDate
    }
  }
}
