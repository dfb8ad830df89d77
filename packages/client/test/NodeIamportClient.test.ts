/**
 * `NodeIamportClient`: the pipeline on undici directly, over real sockets.
 * The fault matrix and money-safety suites (test/reliability) also run every
 * socket row on this transport; here: the token herd, the exact bytes on the
 * wire against the `HttpClient` transport, interruption, refusals, config.
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import { IamportEmulator } from "@effect-iamport/testing"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Redacted, Schema } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

const Emulator = IamportEmulator.IamportEmulator
const credentials = {
  apiKey: IamportEmulator.DEFAULT_API_KEY,
  apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET)
}

/** The undici client against the emulator on a real port. */
const againstEmulator = (options: Partial<NodeIamportClient.Options> = {}) =>
  Layer.unwrapEffect(
    Effect.map(IamportEmulator.IamportEmulatorServer, (server) =>
      NodeIamportClient.layer({ ...credentials, baseUrl: server.url, ...options })
    )
  ).pipe(Layer.provideMerge(IamportEmulator.layerWithServer()))

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string | undefined>
  readonly body: string
}

/**
 * A bare server that records every request and answers getToken with a token,
 * everything else with `{code: 0, response: null}` (or never, when `hold`).
 */
const recordingServer = (options: { readonly hold?: boolean } = {}) =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; url: string; seen: Array<Seen>; closed: Array<string> }>((resume) => {
      const seen: Array<Seen> = []
      const closed: Array<string> = []
      const server = Http.createServer((req, res) => {
        let body = ""
        req.on("data", (chunk) => (body += chunk))
        req.on("end", () => {
          const { accept, authorization, tier } = req.headers
          const contentType = req.headers["content-type"]
          seen.push({
            method: req.method!,
            url: req.url!,
            headers: { accept, authorization, tier: tier as string | undefined, "content-type": contentType },
            body
          })
          res.on("close", () => closed.push(req.url!))
          if (req.url === "/users/getToken") {
            const now = Math.floor(Date.now() / 1000)
            res.writeHead(200, { "content-type": "application/json" })
            res.end(
              JSON.stringify({ code: 0, response: { access_token: "t".repeat(40), now, expired_at: now + 1800 } })
            )
          } else if (!options.hold) {
            res.writeHead(200, { "content-type": "application/json" })
            res.end(JSON.stringify({ code: 0, message: null, response: null }))
          }
        })
      })
      server.listen(0, "127.0.0.1", () =>
        resume(
          Effect.succeed({
            server,
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            seen,
            closed
          })
        )
      )
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** A mix of reads and writes: path segments, PHP-style arrays, a JSON body. */
const traffic = Effect.all(
  [
    Payments.getPayment("imp_1/../x ?#%"),
    Payments.getPayments({ imp_uid: ["imp_a", "imp b"], merchant_uid: ["m&1"] }),
    Payments.cancel({ imp_uid: "imp_1", amount: 500, reason: "환불 요청" }, { confirm: false }),
    IamportClient.request({
      method: "GET",
      path: "/payments/status/{status}",
      pathParams: { status: "paid" },
      urlParams: { page: 2, limit: 20, sorting: "-started" },
      response: Schema.Unknown
    })
  ],
  { mode: "either" }
)

describe("NodeIamportClient", () => {
  it.live("1,000 concurrent cold calls send one getToken", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const payment = yield* emulator.seedPayment({ amount: 777 })
      const results = yield* Effect.all(
        Array.from({ length: 1000 }, () => Payments.getPayment(payment.imp_uid)),
        { concurrency: "unbounded" }
      )
      assert.isTrue(results.every((p) => p.amount === 777))
      assert.strictEqual((yield* emulator.counters).getTokenCalls, 1)
    }).pipe(Effect.provide(againstEmulator()))
  )

  it.scopedLive("sends the same requests as IamportClient.layer on an HttpClient, byte for byte", () =>
    Effect.gen(function* () {
      const run = (layer: (url: string) => Layer.Layer<IamportClient.IamportClient>) =>
        Effect.gen(function* () {
          const server = yield* recordingServer()
          yield* Effect.provide(traffic, layer(server.url))
          return server.seen
        }).pipe(Effect.scoped)
      const options = (url: string) => ({ ...credentials, baseUrl: `${url}/`, tier: "T01" })
      const platform = yield* run((url) =>
        IamportClient.layer(options(url)).pipe(Layer.provide(NodeHttpClient.layerUndici))
      )
      const undici = yield* run((url) => NodeIamportClient.layer(options(url)))
      assert.strictEqual(undici.length, 5)
      assert.deepStrictEqual(undici, platform)
      assert.strictEqual(undici[1]!.url, "/payments/imp_1%2F..%2Fx%20%3F%23%25")
      assert.strictEqual(undici[2]!.url, "/payments?imp_uid%5B%5D=imp_a&imp_uid%5B%5D=imp+b&merchant_uid%5B%5D=m%261")
      assert.strictEqual(undici[3]!.headers["content-type"], "application/json")
      assert.deepStrictEqual(JSON.parse(undici[3]!.body), { imp_uid: "imp_1", amount: 500, reason: "환불 요청" })
      assert.strictEqual(undici[1]!.headers.tier, "T01")
      assert.strictEqual(undici[1]!.headers.authorization, `Bearer ${"t".repeat(40)}`)
    })
  )

  it.scopedLive("an interrupted call aborts its request (the layer, and its agent, stay open)", () =>
    Effect.gen(function* () {
      const server = yield* recordingServer({ hold: true })
      const client = yield* Layer.build(NodeIamportClient.layer({ ...credentials, baseUrl: server.url }))
      const fiber = yield* Effect.fork(Effect.provide(Payments.getPayment("imp_held"), client))
      while (!server.seen.some((s) => s.url === "/payments/imp_held")) yield* Effect.sleep("5 millis")
      yield* Fiber.interrupt(fiber)
      for (let i = 0; i < 200 && !server.closed.includes("/payments/imp_held"); i++) yield* Effect.sleep("5 millis")
      assert.include(server.closed, "/payments/imp_held")
    })
  )

  it.scopedLive("a call cut off by Effect.timeout aborts its request", () =>
    Effect.gen(function* () {
      const server = yield* recordingServer({ hold: true })
      const client = yield* Layer.build(NodeIamportClient.layer({ ...credentials, baseUrl: server.url }))
      const result = yield* Effect.provide(Payments.getPayment("imp_held"), client).pipe(
        Effect.timeout("100 millis"),
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(result))
      for (let i = 0; i < 200 && !server.closed.includes("/payments/imp_held"); i++) yield* Effect.sleep("5 millis")
      assert.include(server.closed, "/payments/imp_held")
    })
  )

  it.scopedLive("a refused connection did not reach i'mport; a bad base URL or header is an invalid argument", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        Effect.provide(
          Payments.getPayment("imp_1"),
          NodeIamportClient.layer({ ...credentials, baseUrl: "http://127.0.0.1:1" })
        )
      )
      assert.strictEqual(refused._tag, "IamportTransportError")
      assert.isTrue(refused._tag === "IamportTransportError" && !refused.mayHaveBeenProcessed)

      const badBase = yield* Effect.flip(
        Effect.provide(Payments.getPayment("imp_1"), NodeIamportClient.layer({ ...credentials, baseUrl: "ftp://x" }))
      )
      assert.strictEqual(badBase._tag, "IamportInvalidArgumentError")

      const server = yield* recordingServer()
      const badTier = yield* Effect.flip(
        Effect.provide(
          Payments.getPayment("imp_1"),
          NodeIamportClient.layer({ ...credentials, baseUrl: server.url, tier: "T01\r\nX-Injected: 1" })
        )
      )
      assert.strictEqual(badTier._tag, "IamportInvalidArgumentError")
      assert.isFalse(
        server.seen.some((s) => s.url.startsWith("/payments")),
        "the bad header was not sent"
      )
    })
  )

  it.scopedLive("a dispatcher it was given stays open after the layer closes", () =>
    Effect.gen(function* () {
      const agent = new Undici.Agent()
      yield* Effect.addFinalizer(() => Effect.promise(() => agent.destroy()))
      const server = yield* recordingServer()
      const layer = NodeIamportClient.layer({ ...credentials, baseUrl: server.url, dispatcher: agent })
      const exit = yield* Effect.exit(Effect.provide(Payments.getPayment("imp_1"), layer))
      assert.isTrue(Exit.isFailure(exit), "null is not a payment")
      assert.isFalse(agent.destroyed)
      assert.isFalse(agent.closed)
      assert.strictEqual(server.seen.length, 2)
    })
  )

  it.live("layerConfig reads IMP_KEY, IMP_SECRET and IAMPORT_BASE_URL", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator
      const server = yield* IamportEmulator.IamportEmulatorServer
      const payment = yield* emulator.seedPayment({ amount: 4321 })
      const config = ConfigProvider.fromMap(
        new Map([
          ["IMP_KEY", IamportEmulator.DEFAULT_API_KEY],
          ["IMP_SECRET", IamportEmulator.DEFAULT_API_SECRET],
          ["IAMPORT_BASE_URL", server.url]
        ])
      )
      const found = yield* Effect.provide(
        Payments.getPayment(payment.imp_uid),
        NodeIamportClient.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(config)))
      )
      assert.strictEqual(found.amount, 4321)
    }).pipe(Effect.provide(IamportEmulator.layerWithServer()))
  )
})
