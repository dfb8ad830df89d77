/**
 * The fault matrix as data: `FaultMatrix.test.ts` runs one test per row (keyed
 * by `id`, checked at compile time), and `Doc.test.ts` checks that
 * `RELIABILITY.md` holds exactly this table, so the doc cannot drift.
 *
 * `runs`: `sockets` = the emulator served on a real port, the client on
 * `NodeHttpClient.layerUndici`, real (small) durations under `it.live`;
 * `raw-socket` = a bare `node:http` server for faults the emulator cannot make;
 * `in-process` = the in-process emulator under `it.effect` with `TestClock`
 * (rows that need token expiry).
 */
export interface Row {
  readonly id: string
  readonly runs: "sockets" | "raw-socket" | "in-process"
  readonly fault: string
  readonly expected: string
}

export const rows = [
  {
    id: "read-500-burst",
    runs: "sockets",
    fault: "`Status 500` x2 on `GET /payments/{imp_uid}`",
    expected: "retried; the 3rd attempt returns the payment (3 requests)"
  },
  {
    id: "read-502-burst",
    runs: "sockets",
    fault: "`Status 502` x2 on `GET /payments/{imp_uid}`",
    expected: "retried; the 3rd attempt returns the payment (3 requests)"
  },
  {
    id: "read-503-outage",
    runs: "sockets",
    fault: "`Status 503` on every `GET /payments/{imp_uid}`",
    expected: "3 attempts, then `IamportApiError` status 503 (3 requests, no more)"
  },
  {
    id: "read-html-502",
    runs: "sockets",
    fault: "`Html502` on every `GET /payments/{imp_uid}`",
    expected: "3 attempts, then `IamportTransportError` reason `ServerError` status 502, description `an HTML page`"
  },
  {
    id: "read-drop-before-answer",
    runs: "sockets",
    fault: "`Drop` x1 (socket destroyed before the status line)",
    expected: "retried; the 2nd attempt returns the payment (2 requests)"
  },
  {
    id: "read-drop-mid-body",
    runs: "raw-socket",
    fault: "200 with `content-length: 4000`, 20 bytes sent, socket destroyed",
    expected: "3 attempts, then `IamportTransportError` reason `Connection`, `mayHaveBeenProcessed: true`"
  },
  {
    id: "read-timeout",
    runs: "sockets",
    fault: "`Delay 600 ms` x1, client `timeout: 150 ms`",
    expected: "1st attempt times out, retried; the 2nd returns the payment (2 requests)"
  },
  {
    id: "read-timeout-persistent",
    runs: "sockets",
    fault: "`Delay 600 ms` x3, client `timeout: 150 ms`",
    expected: "3 attempts, then `IamportTransportError` reason `Timeout` within about 3 x 150 ms + backoff"
  },
  {
    id: "read-truncated-json",
    runs: "sockets",
    fault: "`MalformedJson` x1 (HTTP 200, truncated body)",
    expected: "`IamportDecodeError` status 200, not retried (1 request)"
  },
  {
    id: "read-wrong-content-type",
    runs: "raw-socket",
    fault: "a valid envelope sent as `text/html`; then a non-JSON `text/plain` 200",
    expected: "the envelope is decoded whatever the content type; the non-JSON body is `IamportDecodeError`"
  },
  {
    id: "code-nonzero-on-200",
    runs: "sockets",
    fault: "cancel of a payment that does not exist (HTTP 200, `code: 1`)",
    expected: "`IamportApiError` status 200 code 1 with the API's message, not retried (1 request)"
  },
  {
    id: "unauthorized-every-call",
    runs: "sockets",
    fault: "`Unauthorized` on every API call (getToken works)",
    expected: "per call: 2 API requests and 1 refresh, then `IamportUnauthorizedError`; no loop"
  },
  {
    id: "gettoken-down-token-valid",
    runs: "in-process",
    fault: "`Status 503` and `Drop` on every `/users/getToken` from minute 1, through the token's last minute",
    expected: "every call succeeds with the cached token; refreshes are tried in the background only"
  },
  {
    id: "gettoken-down-after-expiry",
    runs: "in-process",
    fault: "`Status 503` on every `/users/getToken`, clock moved past expiry; then faults cleared",
    expected:
      "`IamportTransportError` reason `ServerError` status 503 (not bad credentials) after the cache's 3 getToken attempts (the read is not retried on a token failure); the next call after recovery succeeds at once with a new token"
  },
  {
    id: "emulator-restart",
    runs: "sockets",
    fault: "`revokeTokens` (the server forgets every token, as after a restart)",
    expected: "the next call gets 401, refreshes once and replays: success, 1 new token"
  },
  {
    id: "clock-jump-forward",
    runs: "sockets",
    fault: "server clock `advance(+40 minutes)` mid-token",
    expected: "the expired token gets 401, one refresh, replay succeeds; no second 401"
  },
  {
    id: "clock-jump-back",
    runs: "in-process",
    fault: "server clock `advance(-40 minutes)`, then 31 minutes of client time",
    expected: "every call succeeds, no 401, one token issued (the refresh at local expiry returns the same token)"
  },
  {
    id: "interrupted-mid-refresh",
    runs: "sockets",
    fault: "`Delay 300 ms` on getToken; 4 of 5 cold callers interrupted while it runs",
    expected: "the refresh completes for the 5th caller and later calls; 1 getToken in all"
  }
] as const satisfies ReadonlyArray<Row>

export type RowId = (typeof rows)[number]["id"]

const runsLabel: Record<Row["runs"], string> = {
  sockets: "real sockets (emulator server + undici)",
  "raw-socket": "real sockets (bare node:http server)",
  "in-process": "in process (TestClock)"
}

/** The Markdown table `RELIABILITY.md` must contain. */
export const renderTable = (): string =>
  [
    "| id | fault | runs | expected outcome |",
    "| --- | --- | --- | --- |",
    ...rows.map((row) => `| \`${row.id}\` | ${row.fault} | ${runsLabel[row.runs]} | ${row.expected} |`)
  ].join("\n")
