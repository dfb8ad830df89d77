/**
 * Payments and prepared amounts: storage and the business rules of the
 * `payments` and `payments.validation` areas (`docs/API-NOTES.md`, "Payments").
 * Handlers return plain outcomes; the router turns them into HTTP answers.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import type { Payment, PaymentCancel, Prepared, SeedPayment } from "../IamportEmulator.js"
import { byTier, fail, type Outcome, ok, okFrozen } from "./outcome.js"
import type { WebhookEvent } from "./webhooks.js"
import { booleanParam, numberParam, type Params, stringList, stringParam } from "./wire.js"

export type { Payment, PaymentCancel, Prepared, SeedPayment }

export const MSG = {
  notFound: "존재하지 않는 결제정보입니다.",
  badStatus: "지원되지 않는 상태값입니다.",
  nothingToCancel: "취소할 결제건이 존재하지 않습니다.",
  noUid: "imp_uid 또는 merchant_uid를 지정해주셔야합니다.",
  prepareNotFound: "사전등록된 결제정보가 존재하지 않습니다."
} as const

interface Stored {
  /** Frozen (`frozen`): replaced, never changed, so its JSON is made once. */
  payment: Payment
  updatedAt: number
  readonly seq: number
  readonly noticeUrl: string | undefined
}

interface Scope {
  readonly payments: Map<string, Stored>
  readonly prepared: Map<string, Prepared>
}

const randomDigits = (n: number): string => {
  let out = ""
  const bytes = Crypto.randomBytes(n)
  for (let i = 0; i < n; i++) out += String(bytes[i]! % 10)
  return out
}

const randomHex = (n: number) =>
  Crypto.randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n)

/** A payment frozen with its nested values (copied, so a caller's input is left as it was). */
const frozen = (p: Payment): Payment =>
  Object.freeze({
    ...p,
    cancel_history: Object.freeze(p.cancel_history.map((c) => (Object.isFrozen(c) ? c : Object.freeze({ ...c })))),
    cancel_receipt_urls: Object.freeze([...p.cancel_receipt_urls]),
    promotion: p.promotion === null ? null : Object.freeze({ ...p.promotion })
  })

/** Rounds away binary noise (amounts may carry cents for USD). */
const money = (n: number) => Math.round(n * 100) / 100

const SORTINGS = new Set(["-started", "started", "-paid", "paid", "-updated", "updated"])
const STATUSES = new Set<string>(["ready", "paid", "cancelled", "failed"])
const NINETY_DAYS = 90 * 24 * 60 * 60
/** Look-up parameters that show every payment, test-channel ones included (for the store's own checks). */
export const ALL: Params = { include_sandbox: "true" }

export interface PaymentStore {
  readonly seed: (input: SeedPayment, now: number) => Payment
  readonly get: (impUid: string, tier: string | undefined) => Payment | undefined
  readonly getPrepared: (merchantUid: string, tier: string | undefined) => Prepared | undefined
  // handlers
  readonly byImpUid: (tier: string | undefined, impUid: string, query: Params) => Outcome
  readonly balance: (tier: string | undefined, impUid: string) => Outcome
  readonly many: (tier: string | undefined, query: Params) => Outcome
  readonly find: (tier: string | undefined, merchantUid: string, status: string | undefined, query: Params) => Outcome
  readonly findAll: (
    tier: string | undefined,
    merchantUid: string,
    status: string | undefined,
    query: Params
  ) => Outcome
  readonly byStatus: (tier: string | undefined, status: string, query: Params, now: number) => Outcome
  readonly cancel: (tier: string | undefined, body: Params, now: number) => Outcome
  /** A deposit into an issued virtual account: `ready` -> `paid`, with its webhook. */
  readonly deposit: (tier: string | undefined, impUid: string, now: number) => Outcome
  /** A cancel made in the admin console: always sends its webhook. */
  readonly consoleCancel: (tier: string | undefined, body: Params, now: number) => Outcome
  readonly prepare: (tier: string | undefined, body: Params) => Outcome
  readonly updatePrepare: (tier: string | undefined, body: Params) => Outcome
  readonly getPrepare: (tier: string | undefined, merchantUid: string) => Outcome
}

export const make = (onEvent: (event: WebhookEvent) => void = () => {}): PaymentStore => {
  let seq = 0
  const scope = byTier<Scope>(() => ({ payments: new Map(), prepared: new Map() }))

  const newImpUid = (s: Scope) => {
    let id = "imp_" + randomDigits(12)
    while (s.payments.has(id)) id = "imp_" + randomDigits(12)
    return id
  }

  const notify = (payment: Payment, url: string | undefined, cancellationId?: string) =>
    onEvent({
      imp_uid: payment.imp_uid,
      merchant_uid: payment.merchant_uid,
      status: payment.status,
      cancellation_id: cancellationId,
      url
    })

  const seed = (input: SeedPayment, clockNow: number): Payment => {
    // "happened" timestamps are never 0 (0 means "not yet"), even at TestClock's epoch
    const now = Math.max(clockNow, 1)
    const s = scope(input.tier)
    const imp_uid = input.imp_uid ?? newImpUid(s)
    const status = input.status ?? "paid"
    const amount = input.amount ?? 1000
    const payMethod = input.pay_method ?? "card"
    const isCard = payMethod === "card"
    const isVbank = payMethod === "vbank"
    const isTrans = payMethod === "trans"
    const started_at = input.started_at ?? now
    const pgTid = input.pg_tid ?? `StdpayCARDINIpayTest${randomDigits(20)}`
    const cancelled = status === "cancelled"
    const cancelAmount = input.cancel_amount ?? (cancelled ? amount : 0)
    const cancelledAt = input.cancelled_at ?? (cancelled ? now : 0)
    const cancelHistory =
      input.cancel_history ??
      (cancelled && cancelAmount > 0
        ? [
            {
              pg_tid: pgTid,
              amount: cancelAmount,
              cancelled_at: cancelledAt,
              reason: input.cancel_reason ?? "취소요청",
              cancellation_id: randomHex(24),
              receipt_url: `https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp?noTid=${pgTid}&noMethod=1`
            }
          ]
        : [])
    const payment = frozen({
      imp_uid,
      merchant_uid: input.merchant_uid ?? `merchant_${now}_${randomDigits(6)}`,
      pay_method: payMethod,
      channel: input.channel ?? "pc",
      pg_provider: input.pg_provider ?? "html5_inicis",
      emb_pg_provider: input.emb_pg_provider ?? null,
      pg_tid: pgTid,
      pg_id: input.pg_id ?? "INIpayTest",
      sandbox: input.sandbox ?? false,
      escrow: input.escrow ?? false,
      apply_num: input.apply_num ?? (isCard && status !== "ready" && status !== "failed" ? randomDigits(8) : ""),
      bank_code: input.bank_code ?? (isTrans ? "004" : null),
      bank_name: input.bank_name ?? (isTrans ? "KB국민은행" : null),
      card_code: input.card_code ?? (isCard ? "361" : null),
      card_name: input.card_name ?? (isCard ? "BC카드" : null),
      card_issuer_code: input.card_issuer_code ?? (isCard ? "361" : null),
      card_issuer_name: input.card_issuer_name ?? (isCard ? "BC카드" : null),
      card_publisher_code: input.card_publisher_code ?? (isCard ? "361" : null),
      card_publisher_name: input.card_publisher_name ?? (isCard ? "BC카드" : null),
      card_quota: input.card_quota ?? 0,
      card_number: input.card_number ?? (isCard ? "910020*********5" : null),
      card_type: input.card_type !== undefined ? input.card_type : isCard ? 0 : null,
      vbank_code: input.vbank_code ?? (isVbank ? "004" : null),
      vbank_name: input.vbank_name ?? (isVbank ? "KB국민은행" : null),
      vbank_num: input.vbank_num ?? (isVbank ? `T${randomDigits(13)}` : null),
      vbank_holder: input.vbank_holder ?? (isVbank ? "（주）케이지이니시스" : null),
      vbank_date: input.vbank_date ?? (isVbank ? started_at + 3 * 24 * 60 * 60 : 0),
      vbank_issued_at: input.vbank_issued_at ?? (isVbank ? started_at : 0),
      name: input.name ?? "테스트 상품",
      amount,
      cancel_amount: cancelAmount,
      currency: input.currency ?? "KRW",
      buyer_name: input.buyer_name ?? "홍길동",
      buyer_email: input.buyer_email ?? "buyer@example.com",
      buyer_tel: input.buyer_tel ?? "010-1234-5678",
      buyer_addr: input.buyer_addr ?? "서울특별시 강남구 삼성동",
      buyer_postcode: input.buyer_postcode ?? "06018",
      custom_data: input.custom_data ?? null,
      user_agent: input.user_agent ?? "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
      status,
      started_at,
      paid_at: input.paid_at ?? (status === "paid" || cancelled ? now : 0),
      failed_at: input.failed_at ?? (status === "failed" ? now : 0),
      cancelled_at: cancelledAt,
      fail_reason: input.fail_reason ?? (status === "failed" ? "[F113]거래거절 카드번호틀림" : null),
      cancel_reason: input.cancel_reason ?? (cancelled ? "취소요청" : null),
      receipt_url:
        input.receipt_url ??
        (status === "paid" || cancelled
          ? `https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp?noTid=${pgTid}&noMethod=1`
          : ""),
      cancel_history: cancelHistory,
      cancel_receipt_urls: input.cancel_receipt_urls ?? cancelHistory.map((c) => c.receipt_url),
      cash_receipt_issued: input.cash_receipt_issued ?? false,
      customer_uid: input.customer_uid ?? null,
      customer_uid_usage: input.customer_uid_usage ?? null,
      promotion: input.promotion ?? null
    })
    const existing = s.payments.get(imp_uid)
    s.payments.set(imp_uid, { payment, updatedAt: now, seq: existing?.seq ?? ++seq, noticeUrl: input.notice_url })
    if (input.notify !== false) {
      const vbankIssued = payment.status === "ready" && payment.pay_method === "vbank"
      if (payment.status === "paid" || vbankIssued) notify(payment, input.notice_url)
    }
    return payment
  }

  /**
   * The payments a look-up may return: a test-channel (`sandbox`) payment only when `include_sandbox=true`
   * (the 2026 rule of `GET /payments/{imp_uid}`, applied to every look-up; `docs/API-NOTES.md`, "Sandbox").
   */
  const shows = (query: Params) => {
    const sandbox = booleanParam(query.include_sandbox) === true
    return (stored: Stored | undefined): stored is Stored =>
      stored !== undefined && (sandbox || !stored.payment.sandbox)
  }
  const visible = (s: Scope, query: Params) => Array.from(s.payments.values()).filter(shows(query))

  const sortKey = (stored: Stored, field: string): number =>
    field === "paid" ? stored.payment.paid_at : field === "updated" ? stored.updatedAt : stored.payment.started_at

  /** Sorts by the `sorting` parameter; `undefined` when the value is not supported. */
  const sorted = (list: Array<Stored>, sorting: unknown): Array<Stored> | undefined => {
    const value = stringParam(sorting) ?? "-started"
    if (!SORTINGS.has(value)) return undefined
    const desc = value.startsWith("-")
    const field = desc ? value.slice(1) : value
    return list.slice().sort((a, b) => {
      const d = sortKey(a, field) - sortKey(b, field)
      const primary = d !== 0 ? d : a.seq - b.seq
      return desc ? -primary : primary
    })
  }

  const byMerchant = (s: Scope, merchantUid: string, status: string | undefined, query: Params) =>
    visible(s, query).filter(
      (p) => p.payment.merchant_uid === merchantUid && (status === undefined || p.payment.status === status)
    )

  /** `undefined` = no filter; `null` = invalid status. */
  const statusFilter = (status: string | undefined): string | undefined | null => {
    if (status === undefined || status === "" || status === "all") return undefined
    return STATUSES.has(status) ? status : null
  }

  const paging = (query: Params): { readonly page: number; readonly limit: number } | Outcome => {
    const page = numberParam(query.page) ?? 1
    const limitRaw = numberParam(query.limit) ?? 20
    if (!Number.isInteger(page) || page < 1) return fail(400, -1, "page 파라메터가 올바르지 않습니다.")
    if (!Number.isInteger(limitRaw) || limitRaw < 1) return fail(400, -1, "limit 파라메터가 올바르지 않습니다.")
    return { page, limit: Math.min(limitRaw, 1000) }
  }

  const paged = (list: Array<Stored>, page: number, limit: number): Outcome => {
    const total = list.length
    if (page > 1 && (page - 1) * limit >= total) {
      return fail(400, -1, "요청하신 page가 데이터 범위를 벗어났습니다.")
    }
    const slice = list.slice((page - 1) * limit, page * limit)
    return ok({
      total,
      previous: page > 1 ? page - 1 : 0,
      next: page * limit < total ? page + 1 : 0,
      list: slice.map((p) => p.payment)
    })
  }

  const balanceBlock = (supplyPlusVat: number) => {
    const supply = Math.round(supplyPlusVat / 1.1)
    return { tax_free: 0, supply, vat: money(supplyPlusVat - supply), service: 0 }
  }
  const zero = { tax_free: 0, supply: 0, vat: 0, service: 0 }

  /** `POST /payments/cancel`; sends the `cancelled` webhook only with `enable_webhook`. */
  const cancel = (tier: string | undefined, body: Params, clockNow: number): Outcome => {
    const now = Math.max(clockNow, 1)
    const s = scope(tier)
    const impUid = stringParam(body.imp_uid)
    const merchantUid = stringParam(body.merchant_uid)
    if (impUid === undefined && merchantUid === undefined) return fail(200, 1, MSG.noUid)
    let stored: Stored | undefined
    if (impUid !== undefined) {
      stored = s.payments.get(impUid)
    } else {
      const candidates = sorted(byMerchant(s, merchantUid!, undefined, ALL), "-started")!
      stored = candidates.find((c) => c.payment.status === "paid") ?? candidates[0]
    }
    if (stored === undefined || stored.payment.status !== "paid") return fail(200, 1, MSG.nothingToCancel)
    const p = stored.payment
    const balance = money(p.amount - p.cancel_amount)
    if (balance <= 0) return fail(200, 1, MSG.nothingToCancel)
    const checksum = numberParam(body.checksum)
    if (checksum !== undefined && money(checksum) !== balance) {
      return fail(
        200,
        1,
        `[결제취소 실패] 요청하신 checksum(${checksum})이 취소가능잔액(${balance})과 일치하지 않습니다.`
      )
    }
    const requested = numberParam(body.amount)
    if (requested !== undefined && (Number.isNaN(requested) || requested < 0)) {
      return fail(200, 1, "[결제취소 실패] 취소요청금액이 올바르지 않습니다.")
    }
    const amount = requested === undefined || requested === 0 ? balance : money(requested)
    if (amount > balance) {
      return fail(200, 1, `[결제취소 실패] 취소요청금액(${amount})이 취소가능잔액(${balance})보다 큽니다.`)
    }
    const cancelAmount = money(p.cancel_amount + amount)
    const full = cancelAmount >= p.amount
    const reason = typeof body.reason === "string" ? body.reason : ""
    const cancelTid = `${p.pg_tid.slice(0, 20)}${randomDigits(8)}`
    const entry: PaymentCancel = {
      pg_tid: cancelTid,
      amount,
      cancelled_at: now,
      reason,
      cancellation_id: randomHex(24),
      receipt_url: `https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp?noTid=${cancelTid}&noMethod=1`
    }
    const updated = frozen({
      ...p,
      cancel_amount: cancelAmount,
      status: full ? "cancelled" : p.status,
      cancelled_at: now,
      cancel_reason: reason,
      cancel_history: [...p.cancel_history, entry],
      cancel_receipt_urls: [...p.cancel_receipt_urls, entry.receipt_url]
    })
    stored.payment = updated
    stored.updatedAt = now
    if (body.enable_webhook === true || body.enable_webhook === "true") {
      notify(updated, stored.noticeUrl, entry.cancellation_id)
    }
    return ok(updated)
  }

  /** `POST /payments/prepare` (`create`) and `PUT /payments/prepare` (`update`, keeping the currency unless given). */
  const savePrepared = (tier: string | undefined, body: Params, mode: "create" | "update"): Outcome => {
    const merchantUid = stringParam(body.merchant_uid)
    const amount = numberParam(body.amount)
    if (merchantUid === undefined || amount === undefined) {
      return fail(400, -1, "merchant_uid, amount 파라메터가 누락되었습니다.")
    }
    if (Number.isNaN(amount) || amount < 0) return fail(400, -1, "amount 파라메터가 올바르지 않습니다.")
    const s = scope(tier)
    const existing = s.prepared.get(merchantUid)
    if (mode === "create" && existing !== undefined) return fail(200, 1, "이미 등록된 merchant_uid입니다.")
    if (mode === "update" && existing === undefined) return fail(404, -1, MSG.prepareNotFound)
    const currency = stringParam(body.currency) ?? existing?.currency
    const prepared: Prepared =
      currency === undefined ? { merchant_uid: merchantUid, amount } : { merchant_uid: merchantUid, amount, currency }
    s.prepared.set(merchantUid, prepared)
    return ok(prepared)
  }

  const store: PaymentStore = {
    seed,
    get: (impUid, tier) => scope(tier).payments.get(impUid)?.payment,
    getPrepared: (merchantUid, tier) => scope(tier).prepared.get(merchantUid),

    byImpUid: (tier, impUid, query) => {
      const stored = scope(tier).payments.get(impUid)
      return shows(query)(stored) ? okFrozen(stored.payment) : fail(404, -1, MSG.notFound)
    },

    balance: (tier, impUid) => {
      const stored = scope(tier).payments.get(impUid)
      if (stored === undefined) return fail(404, -1, MSG.notFound)
      const p = stored.payment
      const paidAmount = p.status === "ready" || p.status === "failed" ? 0 : p.amount
      const histories = [
        {
          cash_receipt: zero,
          primary: balanceBlock(paidAmount),
          secondary: zero,
          discount: zero,
          created: p.paid_at || p.started_at
        }
      ]
      let remaining = paidAmount
      for (const c of p.cancel_history) {
        remaining = money(remaining - c.amount)
        histories.push({
          cash_receipt: zero,
          primary: balanceBlock(remaining),
          secondary: zero,
          discount: zero,
          created: c.cancelled_at
        })
      }
      return ok({
        amount: p.amount,
        cash_receipt: zero,
        primary: balanceBlock(money(paidAmount - p.cancel_amount)),
        secondary: zero,
        discount: zero,
        histories
      })
    },

    many: (tier, query) => {
      const impUids = stringList(query.imp_uid)
      const merchantUids = stringList(query.merchant_uid)
      if (impUids.length + merchantUids.length === 0) {
        return fail(400, -1, "imp_uid 또는 merchant_uid 파라메터가 누락되었습니다.")
      }
      if (impUids.length + merchantUids.length > 100) {
        return fail(400, -1, "한 번에 최대 100건까지 조회할 수 있습니다.")
      }
      const s = scope(tier)
      const found: Array<Payment> = []
      const seen = new Set<string>()
      let missing = 0
      const add = (p: Payment | undefined) => {
        if (p === undefined) {
          missing++
          return
        }
        if (!seen.has(p.imp_uid)) {
          seen.add(p.imp_uid)
          found.push(p)
        }
      }
      const shown = shows(query)
      for (const id of impUids) {
        const stored = s.payments.get(id)
        add(shown(stored) ? stored.payment : undefined)
      }
      for (const id of merchantUids) add(sorted(byMerchant(s, id, undefined, query), "-started")![0]?.payment)
      if (found.length === 0) return fail(404, -1, "해당되는 결제건을 찾지 못하였습니다.")
      return ok(found, missing > 0 ? 207 : 200)
    },

    find: (tier, merchantUid, status, query) => {
      const filter = statusFilter(status)
      if (filter === null) return fail(400, -1, MSG.badStatus)
      const list = sorted(byMerchant(scope(tier), merchantUid, filter, query), query.sorting)
      if (list === undefined) return fail(400, -1, "지원되지 않는 정렬방식입니다.")
      const first = list[0]
      return first === undefined ? fail(404, -1, MSG.notFound) : okFrozen(first.payment)
    },

    findAll: (tier, merchantUid, status, query) => {
      const filter = statusFilter(status)
      if (filter === null) return fail(400, -1, MSG.badStatus)
      const page = paging(query)
      if ("status" in page) return page
      const list = sorted(byMerchant(scope(tier), merchantUid, filter, query), query.sorting)
      if (list === undefined) return fail(400, -1, "지원되지 않는 정렬방식입니다.")
      if (list.length === 0) return fail(404, -1, MSG.notFound)
      return paged(list, page.page, page.limit)
    },

    byStatus: (tier, status, query, now) => {
      if (status !== "all" && !STATUSES.has(status)) return fail(400, -1, MSG.badStatus)
      const page = paging(query)
      if ("status" in page) return page
      // "now" is at least 1, as seeded times are (0 means "not yet"): at TestClock's zero the default window
      // still holds what was just seeded
      const to = numberParam(query.to) ?? Math.max(now, 1)
      const from = numberParam(query.from) ?? to - NINETY_DAYS
      if (!Number.isFinite(to) || !Number.isFinite(from) || from > to) {
        return fail(400, -1, "from, to 파라메터가 올바르지 않습니다.")
      }
      if (to - from > NINETY_DAYS) return fail(400, -1, "검색기간은 최대 90일까지 가능합니다.")
      const timeOf = (p: Payment): number => {
        switch (p.status) {
          case "paid":
            return p.paid_at
          case "cancelled":
            return p.cancelled_at
          case "failed":
            return p.failed_at
          default:
            return p.started_at
        }
      }
      const filtered = visible(scope(tier), query).filter((s) => {
        if (status !== "all" && s.payment.status !== status) return false
        const t = timeOf(s.payment)
        return t >= from && t <= to
      })
      const list = sorted(filtered, query.sorting)
      if (list === undefined) return fail(400, -1, "지원되지 않는 정렬방식입니다.")
      return paged(list, page.page, page.limit)
    },

    cancel,

    deposit: (tier, impUid, clockNow) => {
      const stored = scope(tier).payments.get(impUid)
      if (stored === undefined) return fail(404, -1, MSG.notFound)
      const p = stored.payment
      if (p.status !== "ready" || p.pay_method !== "vbank") return fail(200, 1, "입금대기 중인 가상계좌가 아닙니다.")
      const now = Math.max(clockNow, 1)
      stored.payment = frozen({ ...p, status: "paid", paid_at: now })
      stored.updatedAt = now
      notify(stored.payment, stored.noticeUrl)
      return ok(stored.payment)
    },

    consoleCancel: (tier, body, clockNow) => cancel(tier, { ...body, enable_webhook: "true" }, clockNow),

    prepare: (tier, body) => savePrepared(tier, body, "create"),

    updatePrepare: (tier, body) => savePrepared(tier, body, "update"),

    getPrepare: (tier, merchantUid) => {
      const prepared = scope(tier).prepared.get(merchantUid)
      return prepared === undefined ? fail(404, -1, MSG.prepareNotFound) : ok(prepared)
    }
  }
  return store
}
