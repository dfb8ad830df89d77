/**
 * The clients under comparison, each behind the same small adapter: open a
 * session against a server, look payments up (the token is the client's own
 * business), close it.
 *
 * - `ours`: `@effect-iamport/client` on `NodeHttpClient.layerUndici`;
 * - `ours-fetch`: the same on `FetchHttpClient.layer`;
 * - `raw`: a bare `undici` request with a token fetched once beforehand, body
 *   read as text, no decoding: the physical limit for a client;
 * - `iamport`, `iamport-rest-client-nodejs`: the npm peers, unchanged but for
 *   their host (see `packages/testing/test/npm-peers.test.ts`).
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
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
  "raw",
  "iamport",
  "iamport-rest-client-nodejs"
] as const
export type ClientName = (typeof clientNames)[number]

/** Our client on `layer(options)`, one `ManagedRuntime.runPromise` per call. */
const effectClient = (
  name: ClientName,
  layer: (options: IamportClient.Options) => Layer.Layer<IamportClient.IamportClient>
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

const onHttpClient = (httpClient: Layer.Layer<HttpClient.HttpClient>) => (options: IamportClient.Options) =>
  IamportClient.layer(options).pipe(Layer.provide(httpClient))

const raw: Adapter = {
  name: "raw",
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
        return body
      },
      close: () => agent.close()
    }
  }
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
  raw,
  iamport,
  "iamport-rest-client-nodejs": restClient
}
