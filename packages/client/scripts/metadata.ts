/**
 * Hand-written metadata of every operation of the V1 spec: the module it belongs to, its function name,
 * its doc paragraph, and the few shapes the spec gets wrong; and the names of the enums and field groups the
 * generator hoists. The generator (`generate.ts`) reads the spec for everything else (parameters, required
 * lists, response types).
 *
 * Names follow the package's rule: a function name does not repeat its module (`BillingKeys.get`, not
 * `BillingKeys.getBillingKey`); names i'mport users search for (`Subscribe.again`, `Subscribe.onetime`) stay.
 */

export interface OperationMeta {
  readonly module: string
  readonly name: string
  readonly doc: string
  /** Also emit `stream<Name>` walking every page (the response must be a page with `list` and `next`). */
  readonly stream?: string
  /**
   * 207 Multi-Status list: each request field of ids and the item field that carries the id; the operation
   * returns `{ found, missing }` (`Operation.MultiStatus`).
   */
  readonly multiStatus?: Readonly<Record<string, string>>
  /** With `multiStatus`: a 404 means none was found (empty result) rather than a failure. */
  readonly notFoundIsEmpty?: boolean
  /** Not generated: the operation is hand-written in an existing module. */
  readonly handWritten?: boolean
}

const neverRetried =
  "Never retried on a timeout or a lost connection (the error then says `mayHaveBeenProcessed`): look the payment up by `merchant_uid` before trying again."

export const OPERATIONS: Readonly<Record<string, OperationMeta>> = {
  // --- authenticate, payments: hand-written --------------------------------------------------------------
  "POST /users/getToken": { module: "IamportClient", name: "layer", doc: "", handWritten: true },
  "GET /payments/{imp_uid}/balance": { module: "Payments", name: "getBalance", doc: "", handWritten: true },
  "GET /payments/{imp_uid}": { module: "Payments", name: "getPayment", doc: "", handWritten: true },
  "GET /payments": { module: "Payments", name: "getPayments", doc: "", handWritten: true },
  "GET /payments/find/{merchant_uid}/{payment_status}": {
    module: "Payments",
    name: "findByMerchantUid",
    doc: "",
    handWritten: true
  },
  "GET /payments/findAll/{merchant_uid}/{payment_status}": {
    module: "Payments",
    name: "findAllByMerchantUid",
    doc: "",
    handWritten: true
  },
  "GET /payments/status/{payment_status}": { module: "Payments", name: "listByStatus", doc: "", handWritten: true },
  "POST /payments/cancel": { module: "Payments", name: "cancel", doc: "", handWritten: true },
  "PUT /payments/prepare": { module: "Payments", name: "updatePrepared", doc: "", handWritten: true },
  "POST /payments/prepare": { module: "Payments", name: "prepare", doc: "", handWritten: true },
  "GET /payments/prepare/{merchant_uid}": { module: "Payments", name: "getPrepared", doc: "", handWritten: true },

  // --- subscribe ----------------------------------------------------------------------------------------
  "POST /subscribe/payments/onetime": {
    module: "Subscribe",
    name: "onetime",
    doc: `Key-in payment: charges a card once from its number and expiry, without a payment window; with \`customer_uid\` the card is also stored as a billing key. A decline is an \`IamportApiError\` (HTTP 200, \`code\` != 0) or a payment with \`status: "failed"\`: check \`status\`. ${neverRetried}`
  },
  "POST /subscribe/payments/again": {
    module: "Subscribe",
    name: "again",
    doc: `Charges a stored billing key (\`customer_uid\`) now, e.g. a subscription's monthly charge, and returns the payment; an unknown key is an \`IamportApiError\`. Check \`status\`: a declined charge may come back as \`failed\`. ${neverRetried}`
  },
  "GET /subscribe/payments/schedule": {
    module: "Subscribe",
    name: "listSchedules",
    stream: "streamSchedules",
    doc: "One page of scheduled payments whose `schedule_at` falls between `schedule_from` and `schedule_to` (at most 3 months apart), optionally in one `schedule_status`. The spec says a plain array; the API (and every official client) answers a page, and both are accepted."
  },
  "POST /subscribe/payments/schedule": {
    module: "Subscribe",
    name: "schedule",
    doc: "Schedules payments of a billing key at given times; when `customer_uid` is not yet a billing key, pass the card data to issue it first. Returns the schedules created. Not retried on a timeout: read them back with `getSchedule` first."
  },
  "POST /subscribe/payments/unschedule": {
    module: "Subscribe",
    name: "unschedule",
    doc: "Revokes scheduled payments: those of `merchant_uid` (a list), or every pending one of `customer_uid`. Returns the revoked schedules; nothing to revoke is an `IamportApiError` (code 1)."
  },
  "GET /subscribe/payments/schedule/{merchant_uid}": {
    module: "Subscribe",
    name: "getSchedule",
    doc: "A scheduled payment by its `merchant_uid`: its `schedule_status` (`scheduled`, `executed`, `revoked`) and, once executed, the `imp_uid` and `payment_status` of the payment it made."
  },
  "PUT /subscribe/payments/schedule/{merchant_uid}": {
    module: "Subscribe",
    name: "updateSchedule",
    doc: "Moves a pending scheduled payment to another time (`schedule_at`)."
  },
  "POST /subscribe/payments/schedule/{merchant_uid}/reschedule": {
    module: "Subscribe",
    name: "reschedule",
    doc: "Schedules again, at `schedule_at`, a scheduled payment that failed or was revoked."
  },
  "POST /subscribe/payments/schedule/{merchant_uid}/retry": {
    module: "Subscribe",
    name: "retrySchedule",
    doc: `Runs a failed scheduled payment again, now, and returns the resulting payment (check its \`status\`). ${neverRetried}`
  },
  "GET /subscribe/payments/schedule/customers/{customer_uid}": {
    module: "Subscribe",
    name: "listSchedulesByCustomer",
    stream: "streamSchedulesByCustomer",
    doc: "One page of the scheduled payments of a billing key between `from` and `to`, optionally in one `schedule_status` (sent as the spec's `schedule-status`). Answered as a page (a plain array is accepted too)."
  },

  // --- subscribe.customer (billing keys) ----------------------------------------------------------------
  "GET /subscribe/customers": {
    module: "BillingKeys",
    name: "getMany",
    multiStatus: { customer_uid: "customer_uid" },
    notFoundIsEmpty: true,
    doc: "Several billing keys at once by `customer_uid` (sent as `customer_uid[]`). The API answers 207 when some are unknown: those are listed in `missing`, not reported as a failure."
  },
  "GET /subscribe/customers/{customer_uid}": {
    module: "BillingKeys",
    name: "get",
    doc: "A billing key by `customer_uid`: either an ordinary key (`Customer`, card data and PG) or a super billing key issued over a smart-routing channel group (`SuperBillingKey`). An unknown key is an `IamportNotFoundError`."
  },
  "POST /subscribe/customers/{customer_uid}": {
    module: "BillingKeys",
    name: "issue",
    doc: "Issues (or replaces) the billing key `customer_uid` from card data through the channel `channel_key`, and returns it. The card is not charged."
  },
  "DELETE /subscribe/customers/{customer_uid}": {
    module: "BillingKeys",
    name: "remove",
    doc: "Deletes a billing key and returns what it was; `extra.requester` (`customer` or `admin`) is sent as `extra[requester]`. Scheduled payments of the key are revoked by the API."
  },
  "GET /subscribe/customers/{customer_uid}/payments": {
    module: "BillingKeys",
    name: "listPayments",
    stream: "streamPayments",
    doc: "One page of the payments made with a billing key, newest first."
  },
  "GET /subscribe/customers/{customer_uid}/schedules": {
    module: "BillingKeys",
    name: "listSchedules",
    stream: "streamSchedules",
    doc: "One page of the scheduled payments of a billing key between `from` and `to`, optionally in one `schedule_status` (sent as the spec's `schedule-status`)."
  },

  // --- certifications -------------------------------------------------------------------------------------
  "GET /certifications/{imp_uid}": {
    module: "Certifications",
    name: "get",
    doc: "The result of an identity verification: whether it is `certified`, the person's name, birthday, gender, phone and the `unique_key` (CI) / `unique_in_site` (DI) to recognise them. Unknown ids are `IamportNotFoundError`."
  },
  "DELETE /certifications/{imp_uid}": {
    module: "Certifications",
    name: "remove",
    doc: "Deletes the personal data of an identity verification from PortOne and returns what was deleted."
  },
  "POST /certifications/otp/request": {
    module: "Certifications",
    name: "requestOtp",
    doc: "Starts an identity verification by SMS one-time password without the verification window: PortOne texts a code to `phone` and answers the `imp_uid` to confirm with `confirmOtp`."
  },
  "POST /certifications/otp/confirm/{imp_uid}": {
    module: "Certifications",
    name: "confirmOtp",
    doc: "Confirms an SMS identity verification with the code the person received and returns its result."
  },

  // --- escrow.logis ---------------------------------------------------------------------------------------
  "GET /escrows/logis/{imp_uid}": {
    module: "Escrows",
    name: "getLogis",
    doc: "The shipping information registered for an escrow payment."
  },
  "PUT /escrows/logis/{imp_uid}": {
    module: "Escrows",
    name: "updateLogis",
    doc: "Changes the shipping information of an escrow payment (sender, receiver, carrier and invoice)."
  },
  "POST /escrows/logis/{imp_uid}": {
    module: "Escrows",
    name: "registerLogis",
    doc: "Registers the shipping information of an escrow payment: sender, receiver, carrier and invoice number. Registering twice is refused (HTTP 409)."
  },

  // --- receipts ---------------------------------------------------------------------------------------------
  "GET /receipts/{imp_uid}": {
    module: "Receipts",
    name: "get",
    doc: "The cash receipt issued for a PortOne payment (`IamportNotFoundError` if none)."
  },
  "POST /receipts/{imp_uid}": {
    module: "Receipts",
    name: "issue",
    doc: "Issues a cash receipt for a paid PortOne payment, to `identifier` (phone, resident or business number, or cash-receipt card). Refused for unpaid payments and when one was already issued."
  },
  "DELETE /receipts/{imp_uid}": {
    module: "Receipts",
    name: "revoke",
    doc: "Revokes the cash receipt of a PortOne payment and returns it with `cancelled_at` set."
  },
  "GET /receipts/external/{merchant_uid}": {
    module: "Receipts",
    name: "getExternal",
    doc: "The cash receipt issued for a sale made outside PortOne, by its `merchant_uid`."
  },
  "POST /receipts/external/{merchant_uid}": {
    module: "Receipts",
    name: "issueExternal",
    doc: "Issues a cash receipt for a sale made outside PortOne (cash, bank transfer), identified by `merchant_uid`."
  },
  "DELETE /receipts/external/{merchant_uid}": {
    module: "Receipts",
    name: "revokeExternal",
    doc: "Revokes the cash receipt of a sale made outside PortOne."
  },

  // --- vbanks -------------------------------------------------------------------------------------------------
  "POST /vbanks": {
    module: "Vbanks",
    name: "issue",
    doc: `Issues a virtual account for an order without the payment window: the answer is a payment in status \`ready\` carrying \`vbank_num\`, \`vbank_date\` (deadline) and the bank; it becomes \`paid\` when the buyer deposits (a webhook tells you). ${neverRetried}`
  },
  "PUT /vbanks/{imp_uid}": {
    module: "Vbanks",
    name: "update",
    doc: "Changes the amount or the deadline (`vbank_due`) of a virtual account still waiting for its deposit (`ready`)."
  },
  "DELETE /vbanks/{imp_uid}": {
    module: "Vbanks",
    name: "revoke",
    doc: "Closes a virtual account still waiting for its deposit; the payment is returned `cancelled`."
  },

  // --- codes --------------------------------------------------------------------------------------------------
  "GET /cards": {
    module: "Codes",
    name: "listCards",
    doc: "Every card company with its standard code (금융결제원), as used in `card_code`."
  },
  "GET /cards/{card_standard_code}": {
    module: "Codes",
    name: "getCard",
    doc: "One card company by its standard code."
  },
  "GET /banks": {
    module: "Codes",
    name: "listBanks",
    doc: "Every bank with its standard code (금융결제원), as used in `bank_code` and `vbank_code`."
  },
  "GET /banks/{bank_standard_code}": { module: "Codes", name: "getBank", doc: "One bank by its standard code." },

  // --- payco, paymentwall, partners, tiers, users ---------------------------------------------------------------
  "POST /payco/orders/status/{imp_uid}": {
    module: "Payco",
    name: "changeOrderStatus",
    doc: "Moves a PAYCO order to another status: shipping started, purchase decided, or cancelled."
  },
  "POST /paymentwall/delivery": {
    module: "Paymentwall",
    name: "registerDelivery",
    doc: "Tells Paymentwall about the delivery of an order (required by Paymentwall for physical and digital goods). The answer's `response` is the Paymentwall detail; its own error fields are returned as they are."
  },
  "POST /partners/receipts/{imp_uid}": {
    module: "Partners",
    name: "registerReceipts",
    doc: "Registers the sub-merchants' shares of a payment for its receipt (for platforms selling on behalf of partners)."
  },
  "GET /tiers/{tier_code}": {
    module: "Tiers",
    name: "get",
    doc: "A sub-merchant (tier) by its 3-character code."
  },
  "GET /users/pg": {
    module: "Users",
    name: "listPgSettings",
    doc: "The PG settings (MIDs, channels) of the account."
  },

  // --- naver ----------------------------------------------------------------------------------------------------
  "POST /payments/{imp_uid}/naver/cancel": {
    module: "NaverPay",
    name: "cancelProductOrders",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): cancels product orders of a payment, all of them when `product_order_id` is omitted. The API answers 207 when some fail: the ones asked for and not returned are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/approve-cancel": {
    module: "NaverPay",
    name: "approveCancel",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): approves the cancellation the buyer asked for. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/ship": {
    module: "NaverPay",
    name: "ship",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): marks product orders as shipped, with the delivery method, carrier and tracking number. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/ship-exchanged": {
    module: "NaverPay",
    name: "shipExchanged",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): ships the replacement of exchanged product orders. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/collect-exchanged": {
    module: "NaverPay",
    name: "collectExchanged",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): confirms the exchanged goods were collected from the buyer. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/place": {
    module: "NaverPay",
    name: "place",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): confirms product orders (the merchant accepts the order). Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/request-return": {
    module: "NaverPay",
    name: "requestReturn",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): requests the return of product orders on the buyer's behalf. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/approve-return": {
    module: "NaverPay",
    name: "approveReturn",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): approves a return (the refund follows). Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/reject-return": {
    module: "NaverPay",
    name: "rejectReturn",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): rejects a return, with a `memo` for the buyer. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/withhold-return": {
    module: "NaverPay",
    name: "withholdReturn",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): withholds a return (e.g. until the return shipping fee is paid). Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/resolve-return": {
    module: "NaverPay",
    name: "resolveReturn",
    multiStatus: { product_order_id: "product_order_id" },
    doc: "NaverPay (order type): lifts the withholding of a return. Product orders that could not be processed (207) are in `missing`."
  },
  "POST /payments/{imp_uid}/naver/point": {
    module: "NaverPay",
    name: "depositPoint",
    doc: "NaverPay (pay type): grants the buyer's Naver points for a payment. The answer carries no data."
  },
  "POST /payments/{imp_uid}/naver/confirm": {
    module: "NaverPay",
    name: "confirmPayment",
    doc: "NaverPay (pay type): confirms the purchase of an escrow payment. The answer carries no data."
  },
  "GET /payments/{imp_uid}/naver/product-orders": {
    module: "NaverPay",
    name: "getProductOrders",
    doc: "NaverPay (order type): every product order of a payment."
  },
  "GET /naver/product-orders/{product_order_id}": {
    module: "NaverPay",
    name: "getProductOrder",
    doc: "NaverPay (order type): one product order by its id."
  },
  "GET /naver/reviews": {
    module: "NaverPay",
    name: "listReviews",
    doc: "NaverPay (order type): buyers' reviews written between `from` and `to`, general or premium. `channel_key` is sent as a query parameter (the spec declares it as a form field on a GET)."
  },
  "GET /payments/{imp_uid}/naver/cash-amount": {
    module: "NaverPay",
    name: "getCashAmount",
    doc: "NaverPay (pay type): how much of a payment a cash receipt may be issued for, and its breakdown."
  },

  // --- benepia, cvs, kcpquick ------------------------------------------------------------------------------------
  "POST /benepia/point": {
    module: "Benepia",
    name: "getPoint",
    doc: "The Benepia point balance of a Benepia member (a POST because the member's password is sent)."
  },
  "POST /benepia/payment": {
    module: "Benepia",
    name: "pay",
    doc: `Pays an order with Benepia points and returns the payment. ${neverRetried}`
  },
  "POST /cvs": {
    module: "Cvs",
    name: "issue",
    doc: `Issues a convenience-store payment barcode for an order: the answer is a payment in status \`ready\`. ${neverRetried}`
  },
  "DELETE /cvs/{imp_uid}": {
    module: "Cvs",
    name: "revoke",
    doc: "Revokes a convenience-store payment barcode that was not paid yet."
  },
  "DELETE /kcpquick/members/{member_id}": {
    module: "KcpQuick",
    name: "deleteMember",
    doc: "KCP Quick Pay: deletes a member and returns what was deleted."
  },
  "POST /kcpquick/payment/money": {
    module: "KcpQuick",
    name: "payWithMoney",
    doc: `KCP Quick Pay: pays with a member's prepaid money and returns the payment. ${neverRetried}`
  },
  "PUT /kcpquick/prepare/{merchant_uid}": {
    module: "KcpQuick",
    name: "updatePrepared",
    doc: "KCP Quick Pay: changes a pre-registered transaction. The spec gives no answer schema; the answer's `response` is returned undecoded."
  },
  "POST /kcpquick/prepare/{merchant_uid}": {
    module: "KcpQuick",
    name: "prepare",
    doc: "KCP Quick Pay: pre-registers a transaction before the payment window opens. The spec gives no answer schema; the answer's `response` is returned undecoded."
  },
  "POST /kcpquick/payment/autopay": {
    module: "KcpQuick",
    name: "payWithAutoPayKey",
    doc: `KCP Quick Pay: charges an automatic-payment key and returns the payment. ${neverRetried}`
  },
  "DELETE /kcpquick/autopay/{customer_uid}": {
    module: "KcpQuick",
    name: "deleteAutoPayKey",
    doc: "KCP Quick Pay: deletes an automatic-payment key."
  },
  "POST /kcpquick/members/{member_id}/fido/release": {
    module: "KcpQuick",
    name: "releaseFido",
    doc: "KCP Quick Pay: turns off biometric (FIDO) authentication for a member. A refusal is an `IamportApiError`; KCP's own `error` object is not kept."
  }
}

/** Name and doc paragraph of a literal set hoisted into `generated/enums.ts`. */
export interface EnumMeta {
  readonly name: string
  readonly doc: string
}

/**
 * The literal sets (open enums) that stand in more than one place of the generated code, keyed by the field
 * that declares them. The generator hoists each into one named constant, re-exported by every module whose
 * requests use it; it fails on a repeated set that has no entry here, and on an entry that names no repeated
 * set.
 */
export const ENUMS: Readonly<Record<string, EnumMeta>> = {
  product_type: {
    name: "ProductType",
    doc: "Kind of goods sold: `real` (실물상품, physical goods) or `digital` (디지털 컨텐츠, digital content). Required by KSNET."
  },
  delivery_company: {
    name: "DeliveryCompany",
    doc: "Carrier code (택배사 코드) of a NaverPay order-type shipment or return, e.g. `CJGLS` (CJ 대한통운), `EPOST` (우체국택배), `HANJIN` (한진택배), `CH1` (another carrier)."
  },
  delivery_method: {
    name: "DeliveryMethod",
    doc: "How a NaverPay order-type product order is shipped (배송방법 코드): `DELIVERY` (parcel, registered mail), `GDFW_ISSUE_SVC` (Goodsflow invoice), `VISIT_RECEIPT` (picked up), `DIRECT_DELIVERY` (handed over), `QUICK_SVC` (courier) or `NOTHING` (no delivery)."
  },
  schedule_status: {
    name: "ScheduleStatus",
    doc: "State of a scheduled payment: `scheduled` (not run yet), `executed` (run) or `revoked`."
  },
  identifier_type: {
    name: "CashReceiptIdentifierType",
    doc: "What the `identifier` of a cash receipt is: `person` (주민등록번호), `business` (사업자등록번호), `phone` (휴대폰번호) or `taxcard` (국세청현금영수증카드). Required by KICC and Hecto Financial; the other PGs infer it."
  },
  type: {
    name: "CashReceiptType",
    doc: "Purpose of a cash receipt: `person` (소득공제용, income deduction; the default) or `company` (지출증빙용, proof of expense)."
  }
}

/** A group of fields hoisted into `generated/fields.ts` and spread into the structs that share it. */
export interface FieldGroupMeta {
  readonly name: string
  readonly doc: string
  /** The field names, in the order the structs declare them. */
  readonly fields: ReadonlyArray<string>
}

/**
 * Runs of fields that several requests, or several answer models, declare word for word (same names, schemas
 * and docs). The generator spreads a group into every struct whose run is identical to the most common one; a
 * struct whose fields differ (another doc, another schema) keeps its own. It fails on a group that fewer than
 * two structs share. Earlier groups are applied first. (A request whose fields include all those of an earlier
 * request of the same module spreads that request's `fields` instead; that needs no entry here.)
 */
export const FIELD_GROUPS: ReadonlyArray<FieldGroupMeta> = [
  {
    name: "Buyer",
    doc: "The buyer (주문자) of an order: name, e-mail, phone, address and postcode, all optional.",
    fields: ["buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode"]
  },
  {
    name: "ReceiptBuyer",
    doc: "The buyer (구매자) named on a cash receipt: name, e-mail and phone, all optional.",
    fields: ["buyer_name", "buyer_email", "buyer_tel"]
  },
  {
    name: "CustomerSchedulesQuery",
    doc: "Query of the scheduled payments of one billing key: page, time range (`from` <= `schedule_at` < `to`) and state.",
    fields: ["page", "from", "to", "schedule_status"]
  },
  {
    name: "Card",
    doc: "The card behind a billing key: standard codes and names of its issuer and publisher, masked number and type (`0` credit, `1` debit).",
    fields: [
      "card_code",
      "card_issuer_code",
      "card_issuer_name",
      "card_publisher_code",
      "card_publisher_name",
      "card_number",
      "card_type"
    ]
  },
  {
    name: "Cardholder",
    doc: "The holder of the card behind a billing key: name, phone, e-mail, address and postcode.",
    fields: ["customer_name", "customer_tel", "customer_email", "customer_addr", "customer_postcode"]
  },
  {
    name: "IssuedCashReceipt",
    doc: "An issued cash receipt: PG and tax-office numbers, purpose, amounts, URL, and when it was issued and cancelled.",
    fields: ["receipt_tid", "apply_num", "type", "amount", "vat", "receipt_url", "applied_at", "cancelled_at"]
  }
]
