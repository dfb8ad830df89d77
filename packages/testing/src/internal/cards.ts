/**
 * Card checks of key-in payments and billing-key issuance: what the real API declines (HTTP 200, code -1, a
 * message naming the PG's reason), and the cards a test has declared declined. Sources: `docs/API-NOTES.md`,
 * "Card declines".
 *
 * @internal
 */

/** A card that is always declined (a Luhn-valid number no real card has). */
export const DECLINED_CARD_NUMBER = "4000-0000-0000-0002"

/** The first words of a decline: a key-in payment, or a key-in that also issues a billing key. */
export const PREFIX = {
  payment: "카드정보 인증에 실패하였습니다.",
  billingKey: "카드정보 인증 및 빌키 발급에 실패하였습니다."
} as const

export type Purpose = keyof typeof PREFIX

/** The PG's reasons, appended to the prefix. */
export const REASON = {
  invalidNumber: "[F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)",
  declined: "[F113]거래거절 카드번호틀림",
  expiry: "[F113]유효기간오류",
  birth: "[F113]주민OR사업자등록번호오류",
  password: "[F113]비밀번호틀림"
} as const

/** The card fields of a request, as sent. */
export interface CardInput {
  readonly card_number: string | undefined
  readonly expiry: string | undefined
  readonly birth: string | undefined
  readonly pwd_2digit: string | undefined
}

/** Digits of a card number written with `-` or spaces; `undefined` for anything else. */
export const digitsOf = (number: string): string | undefined => {
  const digits = number.replace(/[\s-]/g, "")
  return /^\d+$/.test(digits) ? digits : undefined
}

const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  }
  return sum % 10 === 0
}

const validNumber = (number: string): boolean => {
  const digits = digitsOf(number)
  return digits !== undefined && digits.length >= 14 && digits.length <= 16 && luhn(digits)
}

/** `YYYY-MM`, not before the month of `now` (UNIX seconds, UTC). */
const validExpiry = (expiry: string, now: number): boolean => {
  const match = /^(\d{4})-(\d{2})$/.exec(expiry)
  if (match === null) return false
  const year = Number(match[1])
  const month = Number(match[2])
  if (month < 1 || month > 12) return false
  const today = new Date(now * 1000)
  return year * 12 + month >= today.getUTCFullYear() * 12 + today.getUTCMonth() + 1
}

/** `YYMMDD` that is a date in 19YY or 20YY. */
const validBirthDate = (birth: string): boolean => {
  const yy = Number(birth.slice(0, 2))
  const month = Number(birth.slice(2, 4))
  const day = Number(birth.slice(4, 6))
  return [1900 + yy, 2000 + yy].some((year) => {
    const date = new Date(Date.UTC(year, month - 1, day))
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  })
}

/** A 10-digit business registration number with its check digit (weights 1,3,7,1,3,7,1,3,5). */
const validBusinessNumber = (number: string): boolean => {
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(number[i]) * weights[i]!
  sum += Math.floor((Number(number[8]) * 5) / 10)
  return (10 - (sum % 10)) % 10 === Number(number[9])
}

/** Six digits of a birth date (`000000` for PGs that need none), or a business registration number. */
const validBirth = (birth: string): boolean =>
  birth === "000000" ||
  (/^\d{6}$/.test(birth) && validBirthDate(birth)) ||
  (/^\d{10}$/.test(birth) && validBusinessNumber(birth))

/** The cards declared declined (`declineCard`), by digits, with their reason. */
export interface DeclinedCards {
  readonly add: (cardNumber: string, reason?: string) => void
  /** The reason a card is declined for, if it is. */
  readonly reasonFor: (cardNumber: string) => string | undefined
}

export const makeDeclined = (): DeclinedCards => {
  const declined = new Map<string, string>([[digitsOf(DECLINED_CARD_NUMBER)!, REASON.declined]])
  return {
    add: (cardNumber, reason) => {
      declined.set(digitsOf(cardNumber) ?? cardNumber, reason ?? REASON.declined)
    },
    reasonFor: (cardNumber) => declined.get(digitsOf(cardNumber) ?? cardNumber)
  }
}

/** Why the card is declined, or `undefined` when it is accepted; checked in the order of the fields. */
export const declineReason = (card: CardInput, now: number, declined: DeclinedCards): string | undefined => {
  const number = card.card_number ?? ""
  if (!validNumber(number)) return REASON.invalidNumber
  if (card.expiry === undefined || !validExpiry(card.expiry, now)) return REASON.expiry
  if (card.birth !== undefined && !validBirth(card.birth)) return REASON.birth
  if (card.pwd_2digit !== undefined && !/^\d{2}$/.test(card.pwd_2digit)) return REASON.password
  return declined.reasonFor(number)
}

/** The message of a decline. */
export const declineMessage = (purpose: Purpose, reason: string): string => `${PREFIX[purpose]} ${reason}`
