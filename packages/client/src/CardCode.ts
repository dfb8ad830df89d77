/**
 * i'mport's card company codes (금융결제원 standard codes, and the codes of overseas brands), with their Korean
 * and English names: what `card_code`, `card_issuer_code` and `card_publisher_code` carry, and what `Codes`
 * lists from the API (`GET /cards`).
 *
 * The models keep these fields open (`CardCode.Open`): a code this table does not know, because the API added
 * it, decodes as it is. Use `CardCode.CardCode` (a closed `Schema.Literal`) where only known codes may pass,
 * and `lookup` for a code's names.
 *
 * @since 0.2.0
 */
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as CodeTable from "./internal/codeTable.js"

const codes = [
  "041",
  "071",
  "361",
  "364",
  "365",
  "366",
  "367",
  "368",
  "369",
  "370",
  "371",
  "372",
  "373",
  "374",
  "381",
  "VIS",
  "MAS",
  "DIN",
  "AMX",
  "JCB",
  "UNI",
  "DIS"
] as const

const tableOf = CodeTable.make(
  codes,
  {
    "041": { ko: "우리카드", en: "Woori Card" },
    "071": { ko: "우체국카드", en: "Korea Post Card" },
    "361": { ko: "BC카드", en: "BC Card" },
    "364": { ko: "광주카드", en: "Gwangju Card" },
    "365": { ko: "삼성카드", en: "Samsung Card" },
    "366": { ko: "신한카드", en: "Shinhan Card" },
    "367": { ko: "현대카드", en: "Hyundai Card" },
    "368": { ko: "롯데카드", en: "Lotte Card" },
    "369": { ko: "수협카드", en: "Suhyup Card" },
    "370": { ko: "씨티카드", en: "Citi Card" },
    "371": { ko: "NH카드", en: "NH NongHyup Card" },
    "372": { ko: "전북카드", en: "Jeonbuk Card" },
    "373": { ko: "제주카드", en: "Jeju Card" },
    "374": { ko: "하나카드", en: "Hana Card" },
    "381": { ko: "KB국민카드", en: "KB Kookmin Card" },
    VIS: { ko: "해외비자카드", en: "Visa (overseas)" },
    MAS: { ko: "해외마스터카드", en: "Mastercard (overseas)" },
    DIN: { ko: "해외다이너스카드", en: "Diners Club (overseas)" },
    AMX: { ko: "해외아멕스카드", en: "American Express (overseas)" },
    JCB: { ko: "해외JCB카드", en: "JCB (overseas)" },
    UNI: { ko: "중국은련카드", en: "UnionPay" },
    DIS: { ko: "해외디스커버카드", en: "Discover (overseas)" }
  },
  "a card company standard code (금융결제원)"
)

/**
 * The card company codes this client knows, as a closed `Schema.Literal`: decoding any other code fails. For a field
 * of an API answer, use `Open`.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { CardCode } from "@effect-iamport/client"
 * import { Schema } from "effect"
 *
 * const card = Schema.decodeUnknownSync(CardCode.CardCode)("366") // "366", 신한카드
 * ```
 */
export const CardCode: Schema.Literal<typeof codes> = tableOf.literal

/**
 * @category models
 * @since 0.2.0
 */
export type CardCode = (typeof codes)[number]

/**
 * A card company code as the models carry it (`card_code`, `card_issuer_code`, `card_publisher_code`): typed as the known codes or
 * any string, decoded as a string, so a code the API adds does not fail a real answer.
 *
 * @category api
 * @since 0.2.0
 */
export const Open: Schema.Schema<CardCode | (string & {}), string> = tableOf.open

/**
 * One entry of the table.
 *
 * @category models
 * @since 0.2.0
 */
export interface Entry {
  readonly code: CardCode
  /** The Korean name, as i'mport and the card companies spell it. */
  readonly ko: string
  readonly en: string
}

/**
 * Every card company code this client knows, with its names, in code order.
 *
 * @category api
 * @since 0.2.0
 */
export const table: ReadonlyArray<Entry> = tableOf.table

/**
 * The names of a card company code, if this client knows it.
 *
 * @category api
 * @since 0.2.0
 * @example
 * ```ts
 * import { CardCode } from "@effect-iamport/client"
 * import { Option } from "effect"
 *
 * const name = (code: string) => CardCode.lookup(code).pipe(Option.map((card) => card.en), Option.getOrElse(() => code))
 * ```
 */
export const lookup: (code: string) => Option.Option<Entry> = tableOf.lookup

/**
 * Whether this client knows the code.
 *
 * @category guards
 * @since 0.2.0
 */
export const isKnown: (code: string) => code is CardCode = tableOf.isKnown
