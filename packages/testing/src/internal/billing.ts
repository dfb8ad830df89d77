/**
 * Billing keys and scheduled payments (`subscribe`, `subscribe.customer`): keys are issued, read and
 * deleted; `onetime` / `again` create payments in the payments store; schedules go
 * `scheduled` -> `executed` (when the emulator clock passes `schedule_at`, on the next request, or through
 * `runDue`) or `revoked`.
 *
 * @internal
 */
import type { BillingKey, ScheduledPayment } from "../IamportEmulator.js"
import * as Cards from "./cards.js"
import { byTier, fail, type Outcome, ok } from "./outcome.js"
import { ALL, type Payment, type PaymentStore } from "./payments.js"
import { numberParam, type Params, stringList, stringParam } from "./wire.js"

export type { BillingKey }
export type ScheduleRecord = ScheduledPayment

export const MSG = {
  noCustomer: (uid: string) => `요청하신 customer_uid(${uid})로 등록된 정보를 찾을 수 없습니다.`,
  unknownBuyer: "등록되지 않은 구매자입니다.",
  noCustomerForSchedule: "등록된 고객정보가 없습니다.",
  nothingToUnschedule: "취소할 예약결제 기록이 존재하지 않습니다.",
  noSchedule: "예약결제 정보가 존재하지 않습니다.",
  alreadyPaid: "이미 결제완료된 merchant_uid입니다.",
  missing: (names: string) => `${names} 파라메터가 누락되었습니다.`
} as const

interface Scope {
  readonly keys: Map<string, BillingKey>
  readonly schedules: Map<string, ScheduleRecord>
  /** The card number each billing key was issued from (a declined card fails its later charges). */
  readonly cards: Map<string, string>
  /** imp_uids charged with a billing key, oldest first. */
  readonly charges: Array<string>
}

export interface BillingStore {
  readonly key: (customerUid: string, tier: string | undefined) => BillingKey | undefined
  readonly schedule: (merchantUid: string, tier: string | undefined) => ScheduleRecord | undefined
  /** Executes every `scheduled` schedule whose `schedule_at` is not after `now`; returns them. */
  readonly runDue: (now: number) => ReadonlyArray<ScheduleRecord>
  // handlers
  readonly issueKey: (tier: string | undefined, customerUid: string, body: Params, now: number) => Outcome
  readonly getKey: (tier: string | undefined, customerUid: string) => Outcome
  readonly deleteKey: (tier: string | undefined, customerUid: string) => Outcome
  readonly getKeys: (tier: string | undefined, query: Params) => Outcome
  readonly keyPayments: (tier: string | undefined, customerUid: string, query: Params) => Outcome
  readonly onetime: (tier: string | undefined, body: Params, now: number) => Outcome
  readonly again: (tier: string | undefined, body: Params, now: number) => Outcome
  readonly createSchedules: (tier: string | undefined, body: Params, now: number) => Outcome
  readonly unschedule: (tier: string | undefined, body: Params, now: number) => Outcome
  readonly listSchedules: (tier: string | undefined, customerUid: string | undefined, query: Params) => Outcome
  readonly getSchedule: (tier: string | undefined, merchantUid: string) => Outcome
  readonly updateSchedule: (tier: string | undefined, merchantUid: string, body: Params, reschedule: boolean) => Outcome
  readonly retrySchedule: (tier: string | undefined, merchantUid: string, now: number) => Outcome
}

const maskCard = (number: string | undefined) => {
  const digits = (number ?? "9100200000000000").replace(/\D/g, "")
  return `${digits.slice(0, 6)}******${digits.slice(-4)}`
}

export const make = (payments: PaymentStore, declined: Cards.DeclinedCards): BillingStore => {
  const scope = byTier<Scope>(() => ({ keys: new Map(), schedules: new Map(), cards: new Map(), charges: [] }))

  /** The decline (HTTP 200, code -1) a key-in with this card gets, if any: nothing is paid, no key issued. */
  const declineOf = (body: Params, purpose: Cards.Purpose, now: number): Outcome | undefined => {
    const reason = Cards.declineReason(
      {
        card_number: stringParam(body.card_number),
        expiry: stringParam(body.expiry),
        birth: stringParam(body.birth),
        pwd_2digit: stringParam(body.pwd_2digit)
      },
      now,
      declined
    )
    return reason === undefined ? undefined : fail(200, -1, Cards.declineMessage(purpose, reason))
  }

  /** Why a charge on this billing key fails (its card was declared declined after issuance), if it does. */
  const keyDecline = (tier: string | undefined, customerUid: string): string | undefined => {
    const card = scope(tier).cards.get(customerUid)
    return card === undefined ? undefined : declined.reasonFor(card)
  }

  const saveKey = (tier: string | undefined, customerUid: string, body: Params, now: number): BillingKey => {
    const s = scope(tier)
    const existing = s.keys.get(customerUid)
    const key: BillingKey = {
      customer_uid: customerUid,
      pg_provider: stringParam(body.pg)?.split(".")[0] ?? "html5_inicis",
      pg_id: "INIBillTst",
      sandbox: false,
      customer_id: stringParam(body.customer_id) ?? null,
      card_name: "BC카드",
      card_code: "361",
      card_number: maskCard(stringParam(body.card_number)),
      card_type: 0,
      customer_name: stringParam(body.customer_name) ?? stringParam(body.buyer_name) ?? null,
      customer_tel: stringParam(body.customer_tel) ?? stringParam(body.buyer_tel) ?? null,
      customer_email: stringParam(body.customer_email) ?? stringParam(body.buyer_email) ?? null,
      customer_addr: stringParam(body.customer_addr) ?? stringParam(body.buyer_addr) ?? null,
      customer_postcode: stringParam(body.customer_postcode) ?? stringParam(body.buyer_postcode) ?? null,
      inserted: existing?.inserted ?? Math.max(now, 1),
      updated: Math.max(now, 1)
    }
    s.keys.set(customerUid, key)
    s.cards.set(customerUid, stringParam(body.card_number) ?? "")
    return key
  }

  const alreadyPaid = (tier: string | undefined, merchantUid: string) =>
    payments.find(tier, merchantUid, "paid", ALL).status === 200

  const charge = (
    tier: string | undefined,
    body: Params,
    key: BillingKey | undefined,
    usage: string | null,
    now: number
  ): Payment => {
    const failure = key === undefined ? undefined : keyDecline(tier, key.customer_uid)
    const payment = payments.seed(
      {
        tier,
        merchant_uid: stringParam(body.merchant_uid),
        amount: numberParam(body.amount),
        currency: stringParam(body.currency) ?? "KRW",
        name: stringParam(body.name) ?? "정기결제",
        channel: "api",
        pay_method: "card",
        pg_provider: key?.pg_provider ?? "html5_inicis",
        pg_id: key?.pg_id ?? "INIBillTst",
        card_number: key?.card_number ?? maskCard(stringParam(body.card_number)),
        buyer_name: stringParam(body.buyer_name) ?? key?.customer_name ?? undefined,
        buyer_email: stringParam(body.buyer_email) ?? key?.customer_email ?? undefined,
        buyer_tel: stringParam(body.buyer_tel) ?? key?.customer_tel ?? undefined,
        buyer_addr: stringParam(body.buyer_addr) ?? undefined,
        buyer_postcode: stringParam(body.buyer_postcode) ?? undefined,
        custom_data: stringParam(body.custom_data) ?? null,
        customer_uid: key?.customer_uid ?? null,
        customer_uid_usage: usage,
        status: failure === undefined ? "paid" : "failed",
        ...(failure !== undefined ? { fail_reason: failure } : {}),
        notice_url: stringParam(body.notice_url)
      },
      now
    )
    if (key !== undefined) scope(tier).charges.push(payment.imp_uid)
    return payment
  }

  const execute = (tier: string | undefined, record: ScheduleRecord, now: number): ScheduleRecord => {
    const s = scope(tier)
    const key = s.keys.get(record.customer_uid)
    let updated: ScheduleRecord
    if (key === undefined) {
      updated = {
        ...record,
        schedule_status: "executed",
        executed_at: Math.max(now, 1),
        payment_status: "failed",
        fail_reason: MSG.unknownBuyer
      }
    } else {
      const payment = charge(tier, { ...record }, key, "payment.scheduled", now)
      updated = {
        ...record,
        imp_uid: payment.imp_uid,
        pg_provider: payment.pg_provider,
        pg_id: payment.pg_id,
        schedule_status: "executed",
        executed_at: Math.max(now, 1),
        payment_status: payment.status,
        fail_reason: payment.fail_reason
      }
    }
    s.schedules.set(record.merchant_uid, updated)
    return updated
  }

  const page = <A>(list: ReadonlyArray<A>, query: Params): Outcome => {
    const pageNo = Math.max(1, Math.floor(numberParam(query.page) ?? 1))
    const limit = Math.min(1000, Math.max(1, Math.floor(numberParam(query.limit) ?? 20)))
    const total = list.length
    return ok({
      total,
      previous: pageNo > 1 ? pageNo - 1 : 0,
      next: pageNo * limit < total ? pageNo + 1 : 0,
      list: list.slice((pageNo - 1) * limit, pageNo * limit)
    })
  }

  const store: BillingStore = {
    key: (uid, tier) => scope(tier).keys.get(uid),
    schedule: (mid, tier) => scope(tier).schedules.get(mid),
    runDue: (now) => {
      const done: Array<ScheduleRecord> = []
      for (const [tier, s] of scope.all()) {
        for (const record of Array.from(s.schedules.values())) {
          if (record.schedule_status === "scheduled" && record.schedule_at <= now) done.push(execute(tier, record, now))
        }
      }
      return done
    },

    issueKey: (tier, uid, body, now) => {
      if (stringParam(body.card_number) === undefined || stringParam(body.expiry) === undefined) {
        return fail(400, -1, MSG.missing("card_number, expiry"))
      }
      return declineOf(body, "billingKey", now) ?? ok(saveKey(tier, uid, body, now))
    },
    getKey: (tier, uid) => {
      const key = scope(tier).keys.get(uid)
      return key === undefined ? fail(404, 1, MSG.noCustomer(uid)) : ok(key)
    },
    deleteKey: (tier, uid) => {
      const s = scope(tier)
      const key = s.keys.get(uid)
      if (key === undefined) return fail(404, 1, MSG.noCustomer(uid))
      s.keys.delete(uid)
      s.cards.delete(uid)
      return ok(key)
    },
    getKeys: (tier, query) => {
      const uids = stringList(query["customer_uid"])
      const s = scope(tier)
      const found = uids.flatMap((uid) => {
        const key = s.keys.get(uid)
        return key === undefined ? [] : [key]
      })
      if (found.length === 0) return fail(404, -1, MSG.noCustomer(uids.join(",")))
      return ok(found, found.length < uids.length ? 207 : 200)
    },
    keyPayments: (tier, uid, query) => {
      if (!scope(tier).keys.has(uid)) return fail(404, 1, MSG.noCustomer(uid))
      const list = scope(tier)
        .charges.flatMap((impUid) => {
          const payment = payments.get(impUid, tier)
          return payment !== undefined && payment.customer_uid === uid ? [payment] : []
        })
        .reverse()
      return page(list, query)
    },

    onetime: (tier, body, now) => {
      const mid = stringParam(body.merchant_uid)
      if (
        mid === undefined ||
        numberParam(body.amount) === undefined ||
        stringParam(body.card_number) === undefined ||
        stringParam(body.expiry) === undefined
      ) {
        return fail(400, -1, MSG.missing("merchant_uid, amount, card_number, expiry"))
      }
      if (alreadyPaid(tier, mid)) return fail(200, 1, MSG.alreadyPaid)
      const uid = stringParam(body.customer_uid)
      const refused = declineOf(body, uid === undefined ? "payment" : "billingKey", now)
      if (refused !== undefined) return refused
      const key = uid === undefined ? undefined : saveKey(tier, uid, body, now)
      return ok(charge(tier, body, key, key === undefined ? null : "issue", now))
    },
    again: (tier, body, now) => {
      const uid = stringParam(body.customer_uid)
      const mid = stringParam(body.merchant_uid)
      if (uid === undefined || mid === undefined || numberParam(body.amount) === undefined) {
        return fail(400, -1, MSG.missing("customer_uid, merchant_uid, amount, name"))
      }
      const key = scope(tier).keys.get(uid)
      if (key === undefined) return fail(200, 1, MSG.unknownBuyer)
      if (alreadyPaid(tier, mid)) return fail(200, 1, MSG.alreadyPaid)
      return ok(charge(tier, body, key, "payment", now))
    },

    createSchedules: (tier, body, now) => {
      const uid = stringParam(body.customer_uid)
      if (uid === undefined) return fail(400, -1, MSG.missing("customer_uid"))
      const s = scope(tier)
      if (!s.keys.has(uid)) {
        if (stringParam(body.card_number) === undefined) return fail(200, 1, MSG.noCustomerForSchedule)
        const refused = declineOf(body, "billingKey", now)
        if (refused !== undefined) return refused
        saveKey(tier, uid, body, now)
      }
      const schedules = Array.isArray(body.schedules)
        ? (body.schedules as ReadonlyArray<Params>)
        : typeof body.schedules === "object" && body.schedules !== null
          ? (Object.values(body.schedules) as ReadonlyArray<Params>)
          : []
      if (schedules.length === 0) return fail(400, -1, MSG.missing("schedules"))
      const created: Array<ScheduleRecord> = []
      for (const item of schedules) {
        const mid = stringParam(item.merchant_uid)
        const at = numberParam(item.schedule_at)
        if (mid === undefined || at === undefined || Number.isNaN(at)) {
          return fail(400, -1, MSG.missing("schedules[].merchant_uid, schedules[].schedule_at"))
        }
        if (s.schedules.get(mid)?.schedule_status === "scheduled") {
          return fail(200, 1, `이미 예약된 merchant_uid(${mid})입니다.`)
        }
        created.push({
          customer_uid: uid,
          merchant_uid: mid,
          imp_uid: null,
          pg_provider: null,
          pg_id: null,
          customer_id: stringParam(body.customer_id) ?? null,
          schedule_at: at,
          executed_at: 0,
          revoked_at: 0,
          amount: numberParam(item.amount) ?? 0,
          currency: stringParam(item.currency) ?? "KRW",
          name: stringParam(item.name) ?? "정기결제",
          buyer_name: stringParam(item.buyer_name) ?? null,
          buyer_email: stringParam(item.buyer_email) ?? null,
          buyer_tel: stringParam(item.buyer_tel) ?? null,
          buyer_addr: stringParam(item.buyer_addr) ?? null,
          buyer_postcode: stringParam(item.buyer_postcode) ?? null,
          custom_data: stringParam(item.custom_data) ?? null,
          schedule_status: "scheduled",
          payment_status: null,
          fail_reason: null
        })
      }
      for (const record of created) s.schedules.set(record.merchant_uid, record)
      return ok(created)
    },
    unschedule: (tier, body, now) => {
      const s = scope(tier)
      const uid = stringParam(body.customer_uid)
      const mids = stringList(body.merchant_uid)
      const targets = Array.from(s.schedules.values()).filter(
        (r) =>
          r.schedule_status === "scheduled" &&
          (mids.length === 0 ? r.customer_uid === uid : mids.includes(r.merchant_uid)) &&
          (uid === undefined || r.customer_uid === uid)
      )
      if (uid === undefined && mids.length === 0) return fail(400, -1, MSG.missing("customer_uid 또는 merchant_uid"))
      if (targets.length === 0) return fail(200, 1, MSG.nothingToUnschedule)
      const revoked = targets.map((r): ScheduleRecord => ({
        ...r,
        schedule_status: "revoked",
        revoked_at: Math.max(now, 1)
      }))
      for (const r of revoked) s.schedules.set(r.merchant_uid, r)
      return ok(revoked)
    },
    listSchedules: (tier, uid, query) => {
      const from = numberParam(query.schedule_from ?? query.from)
      const to = numberParam(query.schedule_to ?? query.to)
      if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) {
        return fail(400, -1, MSG.missing(uid === undefined ? "schedule_from, schedule_to" : "from, to"))
      }
      const status = stringParam(query.schedule_status ?? query["schedule-status"])
      const list = Array.from(scope(tier).schedules.values())
        .filter(
          (r) =>
            (uid === undefined || r.customer_uid === uid) &&
            r.schedule_at >= from &&
            r.schedule_at <= to &&
            (status === undefined || r.schedule_status === status)
        )
        .sort((a, b) => a.schedule_at - b.schedule_at)
      return page(list, query)
    },
    getSchedule: (tier, mid) => {
      const record = scope(tier).schedules.get(mid)
      return record === undefined ? fail(404, -1, MSG.noSchedule) : ok(record)
    },
    updateSchedule: (tier, mid, body, reschedule) => {
      const s = scope(tier)
      const record = s.schedules.get(mid)
      if (record === undefined) return fail(404, -1, MSG.noSchedule)
      const at = numberParam(body.schedule_at)
      if (at === undefined || Number.isNaN(at)) return fail(400, -1, MSG.missing("schedule_at"))
      const allowed = reschedule
        ? record.schedule_status === "revoked" || record.payment_status === "failed"
        : record.schedule_status === "scheduled"
      if (!allowed) return fail(400, -1, `변경할 수 없는 예약 상태입니다 (${record.schedule_status}).`)
      const updated: ScheduleRecord = reschedule
        ? {
            ...record,
            schedule_at: at,
            schedule_status: "scheduled",
            executed_at: 0,
            revoked_at: 0,
            imp_uid: null,
            payment_status: null,
            fail_reason: null
          }
        : { ...record, schedule_at: at }
      s.schedules.set(mid, updated)
      return ok(updated)
    },
    retrySchedule: (tier, mid, now) => {
      const record = scope(tier).schedules.get(mid)
      if (record === undefined) return fail(404, -1, MSG.noSchedule)
      if (record.payment_status !== "failed") return fail(400, -1, "결제 실패한 예약건만 재시도할 수 있습니다.")
      const executed = execute(tier, record, now)
      if (executed.imp_uid === null) return fail(200, -1, executed.fail_reason ?? MSG.unknownBuyer)
      return ok(payments.get(executed.imp_uid, tier))
    }
  }
  return store
}
