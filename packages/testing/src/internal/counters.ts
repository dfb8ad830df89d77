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

export const make = (limit: number): CounterStore => {
  let getTokenCalls = 0
  let tokensIssued = 0
  let requests: Record<string, number> = {}
  let totalRequests = 0
  let unauthorized = 0
  let expiredTokensPresented = 0
  let faultsApplied = 0
  let recent: Array<RequestRecord> = []
  return {
    snapshot: () => ({
      getTokenCalls,
      tokensIssued,
      requests: { ...requests },
      totalRequests,
      unauthorized,
      expiredTokensPresented,
      faultsApplied,
      recent: recent.slice()
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
      if (recent.length > limit) recent = recent.slice(recent.length - limit)
    },
    reset: () => {
      getTokenCalls = 0
      tokensIssued = 0
      requests = {}
      totalRequests = 0
      unauthorized = 0
      expiredTokensPresented = 0
      faultsApplied = 0
      recent = []
    }
  }
}
