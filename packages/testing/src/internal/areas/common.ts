/**
 * What every area's handlers share: the request a handler gets, the handler table's type, and the helpers of
 * more than one area (random digits, "no such payment", a charge that creates a payment).
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import { fail, type Outcome, ok } from "../outcome.js"
import { ALL, type PaymentStore } from "../payments.js"
import type { RouteId } from "../routes.js"
import { numberParam, type Params, stringParam } from "../wire.js"

/** A routed, authorized API request, as a handler sees it. */
export interface ApiRequest {
  readonly id: RouteId
  /** Percent-decoded path parameters. */
  readonly params: Readonly<Record<string, string>>
  readonly query: Params
  readonly body: Params
  /** The query and the body together (the body wins), where most routes read their parameters. */
  readonly input: Params
  /** The sub-merchant tier (`Tier` header), already checked; `undefined` for none. */
  readonly tier: string | undefined
  /** Emulator time, UNIX seconds. */
  readonly now: number
}

export type Handler = (request: ApiRequest) => Outcome

/** An area's handlers, keyed by route id (`satisfies Handlers` checks each key is a route of `routes.ts`). */
export type Handlers = { readonly [K in RouteId]?: Handler }

export const digits = (n: number) => {
  const bytes = Crypto.randomBytes(n)
  return Array.from(bytes, (b) => String(b % 10)).join("")
}

export const paymentNotFound = fail(404, -1, "존재하지 않는 결제정보입니다.")

/** A new payment for a charge (`again`-like PG operations): `merchant_uid` and `amount` required, once paid. */
export const charge = (
  payments: PaymentStore,
  { input, now, tier }: ApiRequest,
  extra: Record<string, unknown>
): Outcome => {
  const mid = stringParam(input.merchant_uid)
  const amount = numberParam(input.amount)
  if (mid === undefined || amount === undefined || Number.isNaN(amount)) {
    return fail(400, -1, "merchant_uid, amount 파라메터가 누락되었습니다.")
  }
  if (payments.find(tier, mid, "paid", ALL).status === 200) return fail(200, 1, "이미 결제완료된 merchant_uid입니다.")
  return ok(
    payments.seed(
      {
        tier,
        merchant_uid: mid,
        amount,
        name: stringParam(input.name) ?? "테스트 상품",
        channel: "api",
        buyer_name: stringParam(input.buyer_name),
        buyer_email: stringParam(input.buyer_email),
        buyer_tel: stringParam(input.buyer_tel),
        custom_data: stringParam(input.custom_data) ?? null,
        notice_url: stringParam(input.notice_url),
        ...extra
      },
      now
    )
  )
}
