/**
 * i'mport's bank codes (금융결제원 standard codes), with their Korean and English names: what `bank_code`,
 * `vbank_code` and `refund_bank` carry, and what `Codes` lists from the API (`GET /banks`).
 *
 * The models keep these fields open (`BankCode.Open`): a code this table does not know, because the API added
 * it, decodes as it is. Use `BankCode.BankCode` (a closed `Schema.Literal`) where only known codes may pass,
 * and `lookup` for a code's names.
 *
 * @since 0.2.0
 */
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as CodeTable from "./internal/codeTable.js"

const codes = [
  "001",
  "002",
  "003",
  "004",
  "005",
  "007",
  "008",
  "011",
  "012",
  "020",
  "023",
  "027",
  "031",
  "032",
  "034",
  "035",
  "037",
  "039",
  "045",
  "048",
  "050",
  "052",
  "054",
  "055",
  "056",
  "057",
  "058",
  "059",
  "060",
  "061",
  "062",
  "063",
  "064",
  "065",
  "066",
  "071",
  "076",
  "077",
  "081",
  "088",
  "089",
  "090",
  "092",
  "093",
  "094",
  "095",
  "096",
  "099",
  "209",
  "218",
  "230",
  "238",
  "240",
  "243",
  "247",
  "261",
  "262",
  "263",
  "264",
  "265",
  "266",
  "267",
  "269",
  "270",
  "278",
  "279",
  "280",
  "287",
  "289",
  "290",
  "291",
  "292"
] as const

const tableOf = CodeTable.make(
  codes,
  {
    "001": { ko: "한국은행", en: "Bank of Korea" },
    "002": { ko: "KDB산업은행", en: "Korea Development Bank" },
    "003": { ko: "IBK기업은행", en: "Industrial Bank of Korea" },
    "004": { ko: "KB국민은행", en: "KB Kookmin Bank" },
    "005": { ko: "외환은행", en: "Korea Exchange Bank" },
    "007": { ko: "수협은행", en: "Suhyup Bank" },
    "008": { ko: "한국수출입은행", en: "Export-Import Bank of Korea" },
    "011": { ko: "NH농협은행", en: "NH NongHyup Bank" },
    "012": { ko: "지역 농·축협", en: "NongHyup local cooperatives" },
    "020": { ko: "우리은행", en: "Woori Bank" },
    "023": { ko: "SC제일은행", en: "Standard Chartered Bank Korea" },
    "027": { ko: "한국씨티은행", en: "Citibank Korea" },
    "031": { ko: "대구은행", en: "Daegu Bank" },
    "032": { ko: "부산은행", en: "Busan Bank" },
    "034": { ko: "광주은행", en: "Gwangju Bank" },
    "035": { ko: "제주은행", en: "Jeju Bank" },
    "037": { ko: "전북은행", en: "Jeonbuk Bank" },
    "039": { ko: "경남은행", en: "Kyongnam Bank" },
    "045": { ko: "새마을금고", en: "MG Community Credit Cooperatives" },
    "048": { ko: "신협", en: "Credit Union (Shinhyup)" },
    "050": { ko: "저축은행", en: "Savings banks" },
    "052": { ko: "모건스탠리은행", en: "Morgan Stanley Bank" },
    "054": { ko: "HSBC은행", en: "HSBC" },
    "055": { ko: "도이치은행", en: "Deutsche Bank" },
    "056": { ko: "알비에스피엘씨은행", en: "RBS plc" },
    "057": { ko: "JP모간체이스은행", en: "JPMorgan Chase Bank" },
    "058": { ko: "미즈호은행", en: "Mizuho Bank" },
    "059": { ko: "미쓰비시도쿄UFJ은행", en: "MUFG Bank" },
    "060": { ko: "BOA은행", en: "Bank of America" },
    "061": { ko: "비엔피파리바은행", en: "BNP Paribas" },
    "062": { ko: "중국공상은행", en: "Industrial and Commercial Bank of China" },
    "063": { ko: "중국은행", en: "Bank of China" },
    "064": { ko: "산림조합중앙회", en: "National Forestry Cooperative Federation" },
    "065": { ko: "대화은행", en: "United Overseas Bank" },
    "066": { ko: "교통은행", en: "Bank of Communications" },
    "071": { ko: "우체국", en: "Korea Post" },
    "076": { ko: "신용보증기금", en: "Korea Credit Guarantee Fund" },
    "077": { ko: "기술보증기금", en: "Korea Technology Finance Corporation" },
    "081": { ko: "하나은행", en: "Hana Bank" },
    "088": { ko: "신한은행", en: "Shinhan Bank" },
    "089": { ko: "케이뱅크", en: "K Bank" },
    "090": { ko: "카카오뱅크", en: "KakaoBank" },
    "092": { ko: "토스뱅크", en: "Toss Bank" },
    "093": { ko: "한국주택금융공사", en: "Korea Housing Finance Corporation" },
    "094": { ko: "서울보증보험", en: "SGI Seoul Guarantee" },
    "095": { ko: "경찰청", en: "Korean National Police Agency" },
    "096": { ko: "한국전자금융", en: "Korea Electronic Banking (NICE)" },
    "099": { ko: "금융결제원", en: "Korea Financial Telecommunications and Clearings Institute" },
    "209": { ko: "유안타증권", en: "Yuanta Securities" },
    "218": { ko: "현대증권", en: "Hyundai Securities" },
    "230": { ko: "미래에셋증권", en: "Mirae Asset Securities" },
    "238": { ko: "대우증권", en: "Daewoo Securities" },
    "240": { ko: "삼성증권", en: "Samsung Securities" },
    "243": { ko: "한국투자증권", en: "Korea Investment & Securities" },
    "247": { ko: "우리투자증권", en: "Woori Investment & Securities" },
    "261": { ko: "교보증권", en: "Kyobo Securities" },
    "262": { ko: "하이투자증권", en: "Hi Investment & Securities" },
    "263": { ko: "HMC투자증권", en: "HMC Investment Securities" },
    "264": { ko: "키움증권", en: "Kiwoom Securities" },
    "265": { ko: "이베스트투자증권", en: "eBEST Investment & Securities" },
    "266": { ko: "SK증권", en: "SK Securities" },
    "267": { ko: "대신증권", en: "Daishin Securities" },
    "269": { ko: "한화투자증권", en: "Hanwha Investment & Securities" },
    "270": { ko: "하나대투증권", en: "Hana Daetoo Securities" },
    "278": { ko: "신한금융투자", en: "Shinhan Investment" },
    "279": { ko: "동부증권", en: "Dongbu Securities" },
    "280": { ko: "유진투자증권", en: "Eugene Investment & Securities" },
    "287": { ko: "메리츠증권", en: "Meritz Securities" },
    "289": { ko: "NH투자증권", en: "NH Investment & Securities" },
    "290": { ko: "부국증권", en: "Bookook Securities" },
    "291": { ko: "신영증권", en: "Shinyoung Securities" },
    "292": { ko: "LIG투자증권", en: "LIG Investment & Securities" }
  },
  "a bank standard code (금융결제원)"
)

/**
 * The bank codes this client knows, as a closed `Schema.Literal`: decoding any other code fails. For a field
 * of an API answer, use `Open`.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { BankCode } from "@effect-iamport/client"
 * import { Schema } from "effect"
 *
 * const refundBank = Schema.decodeUnknownSync(BankCode.BankCode)("088") // "088", 신한은행
 * ```
 */
export const BankCode: Schema.Literal<typeof codes> = tableOf.literal

/**
 * @category models
 * @since 0.2.0
 */
export type BankCode = (typeof codes)[number]

/**
 * A bank code as the models carry it (`bank_code`, `vbank_code`, `refund_bank`): typed as the known codes or
 * any string, decoded as a string, so a code the API adds does not fail a real answer.
 *
 * @category api
 * @since 0.2.0
 */
export const Open: Schema.Schema<BankCode | (string & {}), string> = tableOf.open

/**
 * One entry of the table.
 *
 * @category models
 * @since 0.2.0
 */
export interface Entry {
  readonly code: BankCode
  /** The Korean name, as i'mport and the banks spell it. */
  readonly ko: string
  readonly en: string
}

/**
 * Every bank code this client knows, with its names, in code order.
 *
 * @category api
 * @since 0.2.0
 */
export const table: ReadonlyArray<Entry> = tableOf.table

/**
 * The names of a bank code, if this client knows it.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { BankCode } from "@effect-iamport/client"
 * import { Option } from "effect"
 *
 * const name = (code: string) => BankCode.lookup(code).pipe(Option.map((bank) => bank.en), Option.getOrElse(() => code))
 * ```
 */
export const lookup: (code: string) => Option.Option<Entry> = tableOf.lookup

/**
 * Whether this client knows the code.
 *
 * @category guards
 * @since 0.2.0
 */
export const isKnown: (code: string) => code is BankCode = tableOf.isKnown
