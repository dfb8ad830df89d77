/**
 * Request counters and a bounded log of recent requests.
 *
 * @internal
 */

import type { Counters, RequestRecord } from "../IamportEmulator.js"

export type { Counters, RequestRecord }

export interface CounterStore {
  readonly snapshot: () => Counters
  readonly getTokenCall: () => void
  readonly tokenIssued: () => void
  readonly expiredPresented: () => void
  readonly faultApplied: () => void
  readonly record: (record: RequestRecord) => void
  readonly reset: () => void
}

/** The last `limit` items pushed, in a fixed array: a push past the limit overwrites the oldest. */
const makeRing = <A>(limit: number) => {
  const capacity = Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit))
  let items: Array<A> = []
  // where the next push goes once the ring is full (the oldest item)
  let next = 0
  return {
    push: (item: A) => {
      if (capacity === 0) return
      if (items.length < capacity) {
        items.push(item)
        return
      }
      items[next] = item
      next = (next + 1) % capacity
    },
    /** Oldest first. */
    toArray: (): Array<A> => [...items.slice(next), ...items.slice(0, next)],
    clear: () => {
      items = []
      next = 0
    }
  }
}

export const make = (limit: number): CounterStore => {
  let getTokenCalls = 0
  let tokensIssued = 0
  let requests: Record<string, number> = {}
  let totalRequests = 0
  let unauthorized = 0
  let expiredTokensPresented = 0
  let faultsApplied = 0
  const recent = makeRing<RequestRecord>(limit)
  return {
    snapshot: () => ({
      getTokenCalls,
      tokensIssued,
      requests: { ...requests },
      totalRequests,
      unauthorized,
      expiredTokensPresented,
      faultsApplied,
      recent: recent.toArray()
    }),
    getTokenCall: () => {
      getTokenCalls++
    },
    tokenIssued: () => {
      tokensIssued++
    },
    expiredPresented: () => {
      expiredTokensPresented++
    },
    faultApplied: () => {
      faultsApplied++
    },
    record: (record) => {
      totalRequests++
      const key = record.route ?? `${record.method} (unmatched)`
      requests[key] = (requests[key] ?? 0) + 1
      if (record.status === 401) unauthorized++
      recent.push(record)
    },
    reset: () => {
      getTokenCalls = 0
      tokensIssued = 0
      requests = {}
      totalRequests = 0
      unauthorized = 0
      expiredTokensPresented = 0
      faultsApplied = 0
      recent.clear()
    }
  }
}
