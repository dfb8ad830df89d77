/**
 * The handlers of `naver` (NaverPay orders, claims, reviews): fixed, schema-valid data for a payment that
 * exists.
 *
 * @internal
 */
import { type Outcome, ok } from "../outcome.js"
import type { PaymentStore } from "../payments.js"
import { stringList } from "../wire.js"
import { type ApiRequest, type Handler, type Handlers, paymentNotFound } from "./common.js"

const productOrder = (id: string) => ({
  product_order_id: id,
  product_order_status: "PAYED",
  claim_type: null,
  claim_status: null,
  product_id: "P0001",
  product_name: "테스트 상품",
  product_option_id: "O0001",
  product_option_name: "기본",
  product_amount: 1000,
  delivery_amount: 0,
  quantity: 1,
  orderer: { name: "홍길동", id: "naver_buyer", tel: "010-1234-5678" },
  shipping_address: {
    base: "서울특별시 강남구 삼성동",
    detail: "1층",
    postcode: "06018",
    tel1: "010-1234-5678",
    tel2: null,
    name: "홍길동"
  },
  shipping_memo: null,
  shipping_due: 0,
  individual_code: null
})

const review = (now: number) => ({
  review_id: "R0001",
  score: "5",
  title: "좋아요",
  content: "배송이 빨라요",
  product_order_id: "2024010112345678",
  product_id: "P0001",
  product_name: "테스트 상품",
  product_option_name: "기본",
  writer: "buy***",
  created_at: Math.max(now, 1),
  modified_at: 0
})

export const make = (payments: PaymentStore) => {
  /** `answer` for a payment that exists, else "no such payment". */
  const ofPayment =
    (answer: (request: ApiRequest) => Outcome): Handler =>
    (request) =>
      payments.get(request.params.imp_uid!, request.tier) === undefined ? paymentNotFound : answer(request)

  /** The product orders named by `product_order_id` (default: one for the payment). */
  const productOrders = ofPayment(({ input, params }) => {
    const ids = stringList(input.product_order_id)
    return ok((ids.length > 0 ? ids : [`${params.imp_uid}-1`]).map(productOrder))
  })
  const nothing = ofPayment(() => ok(null))

  return {
    "POST /payments/{imp_uid}/naver/cancel": productOrders,
    "POST /payments/{imp_uid}/naver/approve-cancel": productOrders,
    "POST /payments/{imp_uid}/naver/ship": productOrders,
    "POST /payments/{imp_uid}/naver/ship-exchanged": productOrders,
    "POST /payments/{imp_uid}/naver/collect-exchanged": productOrders,
    "POST /payments/{imp_uid}/naver/place": productOrders,
    "POST /payments/{imp_uid}/naver/request-return": productOrders,
    "POST /payments/{imp_uid}/naver/approve-return": productOrders,
    "POST /payments/{imp_uid}/naver/reject-return": productOrders,
    "POST /payments/{imp_uid}/naver/withhold-return": productOrders,
    "POST /payments/{imp_uid}/naver/resolve-return": productOrders,
    "GET /payments/{imp_uid}/naver/product-orders": productOrders,
    "POST /payments/{imp_uid}/naver/point": nothing,
    "POST /payments/{imp_uid}/naver/confirm": nothing,
    "GET /naver/product-orders/{product_order_id}": ({ params }) => ok(productOrder(params.product_order_id!)),
    "GET /naver/reviews": ({ now }) => ok([review(now)]),
    "GET /payments/{imp_uid}/naver/cash-amount": ofPayment(({ params, tier }) => {
      const p = payments.get(params.imp_uid!, tier)!
      const total = Math.round(p.amount - p.cancel_amount)
      const supply = Math.round(total / 1.1)
      return ok({
        amount_total: total,
        amount_by_npoint: 0,
        amount_by_primary: total,
        amount_supply: supply,
        amount_vat: total - supply
      })
    })
  } satisfies Handlers
}
