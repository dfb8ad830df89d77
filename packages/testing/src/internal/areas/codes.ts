/**
 * The handlers of the fixed-data areas `codes` (bank and card company standard codes), `pgs` (PG settings) and
 * `tiers`.
 *
 * @internal
 */
import { fail, ok } from "../outcome.js"
import type { Handlers } from "./common.js"

interface Code {
  readonly code: string
  readonly name: string
}

/** Bank and card company standard codes (a subset of 금융결제원's list). */
export const BANKS: ReadonlyArray<Code> = [
  { code: "004", name: "KB국민은행" },
  { code: "011", name: "NH농협은행" },
  { code: "020", name: "우리은행" },
  { code: "081", name: "하나은행" },
  { code: "088", name: "신한은행" },
  { code: "090", name: "카카오뱅크" },
  { code: "092", name: "토스뱅크" }
]
export const CARDS: ReadonlyArray<Code> = [
  { code: "361", name: "BC카드" },
  { code: "364", name: "광주카드" },
  { code: "365", name: "삼성카드" },
  { code: "366", name: "신한카드" },
  { code: "367", name: "현대카드" },
  { code: "368", name: "롯데카드" },
  { code: "371", name: "NH카드" },
  { code: "381", name: "KB국민카드" }
]

const PG_SETTINGS = [
  {
    pg_provider: "html5_inicis",
    pg_id: "INIpayTest",
    sandbox: true,
    type: "payment",
    channel_name: "이니시스 테스트",
    channel_key: "channel-key-emulator-inicis"
  },
  {
    pg_provider: "html5_inicis",
    pg_id: "INIBillTst",
    sandbox: true,
    type: "billing",
    channel_name: "이니시스 빌링 테스트",
    channel_key: "channel-key-emulator-billing"
  }
]

/** The entry of `codes` with that code, or the "no such code" failure. */
const lookup = (codes: ReadonlyArray<Code>, code: string | undefined, missing: string) => {
  const found = codes.find((c) => c.code === code)
  return found === undefined ? fail(404, -1, missing) : ok(found)
}

export const make = () =>
  ({
    "GET /cards": () => ok(CARDS),
    "GET /cards/{card_standard_code}": ({ params }) =>
      lookup(CARDS, params.card_standard_code, "존재하지 않는 카드사 코드입니다."),
    "GET /banks": () => ok(BANKS),
    "GET /banks/{bank_standard_code}": ({ params }) =>
      lookup(BANKS, params.bank_standard_code, "존재하지 않는 은행 코드입니다."),
    "GET /users/pg": () => ok(PG_SETTINGS),
    "GET /tiers/{tier_code}": ({ params }) =>
      /^[A-Z0-9]{3}$/.test(params.tier_code!)
        ? ok({ tier_code: params.tier_code, tier_name: `하위상점 ${params.tier_code}` })
        : fail(404, -1, "존재하지 않는 티어 코드입니다.")
  }) satisfies Handlers
