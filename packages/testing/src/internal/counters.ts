/**
 * Request counters and a bounded log of recent requests.
 *
 * @internal
 */

/** One request as the emulator saw it (admin routes are not recorded). */
export interface RequestRecord {
  readonly method: string
  /** The raw request target path, before any decoding or normalization (no query). */
  readonly rawPath: string
  /** The raw query string without `?` ("" when none). */
  readonly rawQuery: string
  /** Matched route, e.g. `GET /payments/{imp_uid}`; `null` when no route matched. */
  readonly route: string | null
  /** Percent-decoded path parameters of the matched route. */
  readonly params: Readonly<Record<string, string>>
  /** HTTP status answered (0 when the connection was dropped). */
  readonly status: number
  /**
   * The parsed body parameters (JSON or form) of a routed non-GET request; absent for
   * `POST /users/getToken` (it holds the secret) and for a body that could not be read.
   */
  readonly body?: Readonly<Record<string, unknown>>
}

/** A snapshot of the emulator's counters. */
export interface Counters {
  /** Requests to `POST /users/getToken` (any outcome). */
  readonly getTokenCalls: number
  /** New tokens minted (reuses and extensions not counted). */
  readonly tokensIssued: number
  /** Requests per `METHOD /route/{template}`; unmatched paths are not keyed. */
  readonly requests: Readonly<Record<string, number>>
  /** All non-admin requests. */
  readonly totalRequests: number
  /** Responses with HTTP status 401. */
  readonly unauthorized: number
  /** Requests that presented a known but expired token. */
  readonly expiredTokensPresented: number
  /** Faults applied. */
  readonly faultsApplied: number
  /** The last requests seen (bounded, oldest first). */
  readonly recent: ReadonlyArray<RequestRecord>
}

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
      if (record.route !== null) requests[record.route] = (requests[record.route] ?? 0) + 1
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
