/**
 * Money amounts compared exactly: an amount becomes a whole number of the
 * currency's minor unit (won for KRW, cents for USD) before two amounts are
 * compared, so `10.1 + 0.2` and `10.3` are the same US dollar amount, and
 * `"1000"` (how `pg` returns a NUMERIC column) and `1000n` (a BIGINT) are the
 * same won amount as `1000`.
 *
 * @internal
 */
import * as Either from "effect/Either"

/** ISO 4217 currencies whose minor unit is not the cent: 0 or 3 digits after the point. */
const minorUnitDigitsByCurrency: Readonly<Record<string, number>> = {
  KRW: 0,
  JPY: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  PYG: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3
}

/** Digits after the decimal point in `currency` (case ignored); 2 when not listed. */
export const minorUnitDigits = (currency: string): number => minorUnitDigitsByCurrency[currency.toUpperCase()] ?? 2

/** Currency codes compared without regard to case: the API answers `KRW`, a merchant may write `krw`. */
export const sameCurrency = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase()

/** How far a JS number may sit from a whole number of minor units and still be read as it (float noise). */
const FLOAT_NOISE = 1e-6

const DECIMAL = /^\s*\+?(\d+)(?:\.(\d*))?\s*$/

/**
 * `amount` as a whole number of minor units with `digits` digits after the
 * point, or why it is not an amount: not a number, not finite, or finer than
 * the currency's minor unit (`10.305` dollars).
 */
export const toMinorUnits = (amount: unknown, digits: number): Either.Either<bigint, string> => {
  switch (typeof amount) {
    case "number": {
      if (!Number.isFinite(amount)) return Either.left(`${amount} is not a finite amount`)
      const scaled = amount * 10 ** digits
      const whole = Math.round(scaled)
      if (Math.abs(scaled - whole) > FLOAT_NOISE) return Either.left(`${amount} is finer than the currency's unit`)
      if (!Number.isSafeInteger(whole)) return Either.left(`${amount} is too large to compare exactly`)
      return Either.right(BigInt(whole))
    }
    case "bigint":
      return Either.right(amount * 10n ** BigInt(digits))
    case "string": {
      const match = DECIMAL.exec(amount)
      if (match === null) return Either.left(`"${amount.slice(0, 40)}" is not a decimal amount`)
      const fraction = (match[2] ?? "").replace(/0+$/, "")
      if (fraction.length > digits) return Either.left(`"${amount}" is finer than the currency's unit`)
      return Either.right(BigInt(match[1]! + fraction.padEnd(digits, "0")))
    }
    default:
      return Either.left(`a ${amount === null ? "null" : typeof amount} is not an amount`)
  }
}

/** Minor units back to a JS number of major units, for reports (`1030n`, 2 digits → `10.3`). */
export const fromMinorUnits = (minor: bigint, digits: number): number => Number(minor) / 10 ** digits
