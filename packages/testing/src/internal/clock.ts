/**
 * Emulator clock: Effect `Clock` time plus a signed offset, in UNIX seconds.
 *
 * Because the base is `Clock.currentTimeMillis`, a `TestClock` drives the emulator
 * (and a client sharing that fiber's `TestClock` sees the same time).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

export interface EmulatorClock {
  /** Emulator time in whole UNIX seconds. */
  readonly now: Effect.Effect<number>
  /** Emulator time in whole UNIX seconds when the Effect `Clock` reads `clockMillis`. */
  readonly secondsAt: (clockMillis: number) => number
  readonly setTime: (unixSeconds: number) => Effect.Effect<void>
  readonly advanceMillis: (millis: number) => Effect.Effect<void>
  readonly setOffsetMillis: (millis: number) => Effect.Effect<void>
}

/**
 * Converts a `DurationInput` into signed milliseconds. `Duration` cannot be
 * negative, so a negative number (milliseconds) or a string starting with `-`
 * (e.g. `"-40 minutes"`) means "backwards".
 */
export const signedMillis = (input: Duration.DurationInput): number => {
  if (typeof input === "number") return input
  if (typeof input === "string") {
    const trimmed = input.trim()
    if (trimmed.startsWith("-")) {
      return -Duration.toMillis(Duration.decode(trimmed.slice(1).trim() as Duration.DurationInput))
    }
    return Duration.toMillis(Duration.decode(trimmed as Duration.DurationInput))
  }
  return Duration.toMillis(Duration.decode(input))
}

export const make = (): EmulatorClock => {
  let offset = 0
  const secondsAt = (clockMillis: number) => Math.floor((clockMillis + offset) / 1000)
  return {
    now: Effect.map(Clock.currentTimeMillis, secondsAt),
    secondsAt,
    setTime: (unixSeconds) =>
      Effect.flatMap(Clock.currentTimeMillis, (millis) =>
        Effect.sync(() => {
          offset = unixSeconds * 1000 - millis
        })
      ),
    advanceMillis: (millis) =>
      Effect.sync(() => {
        offset += millis
      }),
    setOffsetMillis: (millis) =>
      Effect.sync(() => {
        offset = millis
      })
  }
}
