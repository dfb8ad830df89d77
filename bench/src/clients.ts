/**
 * The clients under comparison, each behind the same small adapter: open a
 * session against a server, look payments up (the token is the client's own
 * business), close it.
 *
 * - `ours`: `@effect-iamport/client`'s `NodeIamportClient.layer` (undici directly,
 *   what the README recommends in Node);
 * - `ours-platform`: `IamportClient.layer` on `NodeHttpClient.layerUndici`;
 * - `ours-fetch`: `IamportClient.layer` on `FetchHttpClient.layer`;
 * - `ours-effect`: `ours`, with the calls made from inside one Effect program
 *   (`Effect.forEach(loops, { concurrency })` in a single `runPromise`), the
 *   way an Effect backend calls us (throughput only; see `Session.loops`);
 *
 * All three run the client's build output (`packages/client/dist/esm`, as users
 * run it; `pnpm bench` builds it first), not its TypeScript sources through tsx,
 * which add about 10 % of CPU per call (esbuild's `keepNames` helpers).
 * - `raw`: a bare `undici` request with a token fetched once beforehand, body
 *   read as text, no decoding: the physical limit for a client;
 * - `raw-decoded`: the same, plus `JSON.parse` and the client's own compiled
 *   `Payment` decoder, no Effect: the limit for a client that returns typed
 *   payments;
 * - `iamport`, `iamport-rest-client-nodejs`: the npm peers, unchanged but for
 *   their host (see `packages/testing/test/npm-peers.test.ts`).
 */
import type * as ClientPackage from "@effect-iamport/client"
import type * as NodeIamportClientModule from "@effect-iamport/client/NodeIamportClient"
import type * as FastDecode from "../../packages/client/src/internal/fastDecode.js"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { createRequire } from "node:module"
import * as Undici from "undici"

const require = createRequire(import.meta.url)

const dist = (module: string) => new URL(`../../packages/client/dist/esm/${module}.js`, import.meta.url).href
const { IamportClient, Payments }: typeof ClientPackage = await import(dist("index"))
const NodeIamportClient: typeof NodeIamportClientModule = await import(dist("NodeIamportClient"))
const { Fail, fastDecoder }: typeof FastDecode = await import(dist("internal/fastDecode"))
const { Payment }: typeof ClientPackage = await import(dist("index"))
const paymentDecoder = fastDecoder(Payment.Payment)

/** Where a client talks to, and with which credentials. */
export interface Target {
  readonly url: string
  readonly apiKey: string
  readonly apiSecret: string
  /** The clock our client reads (the peers read `Date`); see `virtualTime.ts`. */
  readonly clock?: Clock.Clock | undefined
}

/** An open client. */
export interface Session {
  /** One `GET /payments/{imp_uid}`; rejects on any failure. */
  readonly getPayment: (impUid: string) => Promise<unknown>
  readonly close: () => Promise<void>
  /**
   * The throughput phase's closed loops, when the client runs them itself: `concurrency` loops of calls to
   * `impUid` until
   * `deadline` (`performance.now()`), each call's latency (ms) passed to `record`, each failure to `failed`.
   * Without it, the worker runs `concurrency` promise loops around `getPayment`.
   */
  readonly loops?: (
    impUid: string,
    concurrency: number,
    deadline: number,
    record: (ms: number) => void,
    failed: () => void
  ) => Promise<void>
}

/** A client under comparison. */
export interface Adapter {
  readonly name: ClientName
  readonly open: (target: Target) => Promise<Session>
}

export const clientNames = [
  "ours",
  "ours-platform",
  "ours-fetch",
  "ours-effect",
  "raw-decoded",
  "raw",
  "iamport",
  "iamport-rest-client-nodejs"
] as const
export type ClientName = (typeof clientNames)[number]

/** Our client on `layer(options)`, one `ManagedRuntime.runPromise` per call. */
const effectClient = (
  name: ClientName,
  layer: (options: ClientPackage.IamportClient.Options) => Layer.Layer<ClientPackage.IamportClient.IamportClient>
): Adapter => ({
  name,
  open: async ({ apiKey, apiSecret, clock, url }) => {
    const runtime = ManagedRuntime.make(layer({ apiKey, apiSecret: Redacted.make(apiSecret), baseUrl: url }))
    await runtime.runtime()
    return {
      getPayment: (impUid) => {
        const lookup = Payments.getPayment(impUid)
        return runtime.runPromise(clock === undefined ? lookup : Effect.withClock(lookup, clock))
      },
      close: () => runtime.dispose()
    }
  }
})

/**
 * `ours`, called from inside one Effect program: the loops are fibers of one `Effect.forEach(..., { concurrency })`
 * under a single `runPromise`, as an Effect backend calls the client (no promise, no `runPromise` per call).
 */
const effectProgram: Adapter = {
  name: "ours-effect",
  open: async ({ apiKey, apiSecret, url }) => {
    const runtime = ManagedRuntime.make(
      NodeIamportClient.layer({ apiKey, apiSecret: Redacted.make(apiSecret), baseUrl: url })
    )
    await runtime.runtime()
    return {
      getPayment: (impUid) => runtime.runPromise(Payments.getPayment(impUid)),
      loops: (impUid, concurrency, deadline, record, failed) => {
        // The loop's own functions are made once per loop, not per call: under tsx every function made gets a
        // `__name` (a `defineProperty`), about 1.4 µs per call that would be counted as the client's.
        const loop = Effect.suspend(() => {
          let start = 0
          const recorded = () => record(performance.now() - start)
          const outcome = {
            onFailure: () => {
              failed()
              recorded()
            },
            onSuccess: recorded
          }
          const call = Effect.suspend(() => {
            start = performance.now()
            return Effect.matchCause(Payments.getPayment(impUid), outcome)
          })
          return Effect.whileLoop({ while: () => performance.now() < deadline, body: () => call, step: () => {} })
        })
        return runtime.runPromise(
          Effect.forEach(Array.from({ length: concurrency }), () => loop, { concurrency, discard: true })
        )
      },
      close: () => runtime.dispose()
    }
  }
}

const onHttpClient =
  (httpClient: Layer.Layer<HttpClient.HttpClient>) => (options: ClientPackage.IamportClient.Options) =>
    IamportClient.layer(options).pipe(Layer.provide(httpClient))

/** A bare undici request; `decode` also parses the body and decodes the payment as our client does. */
const bare = (name: ClientName, decode: ((body: string) => unknown) | undefined): Adapter => ({
  name,
  open: async ({ apiKey, apiSecret, url }) => {
    const origin = new URL(url).origin
    const agent = new Undici.Agent()
    const grant = await agent.request({
      origin,
      path: "/users/getToken",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ imp_key: apiKey, imp_secret: apiSecret })
    })
    const token = ((await grant.body.json()) as { response: { access_token: string } }).response.access_token
    const headers = { accept: "application/json", authorization: `Bearer ${token}` }
    return {
      getPayment: async (impUid) => {
        const path = `/payments/${encodeURIComponent(impUid)}`
        const response = await agent.request({ origin, path, method: "GET", headers })
        const body = await response.body.text()
        if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
        return decode === undefined ? body : decode(body)
      },
      close: () => agent.close()
    }
  }
})

/**
 * The body parsed and the payment decoded with the client's own compiled decoder (what `Payments.getPayment`
 * returns), with no Effect around it: the floor for a client that hands out typed, decoded payments.
 */
const decodePayment = (body: string) => {
  const { response } = JSON.parse(body) as { response: unknown }
  const payment = paymentDecoder(response)
  if (payment === Fail) throw new Error("not a payment")
  return payment
}

/** npm `iamport` 0.3.4: the host is the static `DEFAULT_HOST`, copied by the constructor. */
const iamport: Adapter = {
  name: "iamport",
  open: async ({ apiKey, apiSecret, url }) => {
    const Iamport = require("iamport")
    const original = Iamport.DEFAULT_HOST
    Iamport.DEFAULT_HOST = url
    const client = (() => {
      try {
        return new Iamport({ impKey: apiKey, impSecret: apiSecret })
      } finally {
        Iamport.DEFAULT_HOST = original
      }
    })()
    return {
      getPayment: (impUid) => client.payment.getByImpUid({ imp_uid: impUid }),
      close: async () => {}
    }
  }
}

/** npm `iamport-rest-client-nodejs` 0.9.12: a documented `baseUrl` option. */
const restClient: Adapter = {
  name: "iamport-rest-client-nodejs",
  open: async ({ apiKey, apiSecret, url }) => {
    const { Iamport, Request } = require("iamport-rest-client-nodejs")
    const client = new Iamport({ apiKey, apiSecret, baseUrl: url })
    return {
      getPayment: (impUid) => Request.Payments.getByImpUid({ imp_uid: impUid }).request(client),
      close: async () => {}
    }
  }
}

export const adapters: Readonly<Record<ClientName, Adapter>> = {
  ours: effectClient("ours", NodeIamportClient.layer),
  "ours-platform": effectClient("ours-platform", onHttpClient(NodeHttpClient.layerUndici)),
  "ours-fetch": effectClient("ours-fetch", onHttpClient(FetchHttpClient.layer)),
  "ours-effect": effectProgram,
  raw: bare("raw", undefined),
  "raw-decoded": bare("raw-decoded", decodePayment),
  iamport,
  "iamport-rest-client-nodejs": restClient
}
