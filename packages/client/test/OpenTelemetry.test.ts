/**
 * Tracing as an OpenTelemetry SDK exports it: `@effect/opentelemetry`'s tracer over a `BasicTracerProvider`
 * with an `InMemorySpanExporter`, the client over real sockets on both transports (`IamportClient.layer` with
 * `NodeHttpClient.layerUndici`, and `NodeIamportClient.layer`).
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as OtelResource from "@effect/opentelemetry/Resource"
import * as OtelTracer from "@effect/opentelemetry/Tracer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor
} from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Redacted } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { fullApiPayment } from "./fixtures/apiPayment.js"

const token = "otel0test0token0aaaaaaaaaaaaaaaaaaaaaaaa"
const secret = "otel-test-secret-5c4b3a"

interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

/** A `node:http` server: getToken answers `token`; API requests get `answers` in order (the last repeats). */
const server = (answers: ReadonlyArray<Answer>) =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; url: string; traceparents: Array<string | undefined> }>((resume) => {
      const traceparents: Array<string | undefined> = []
      let n = 0
      const server = Http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          if (req.url === "/users/getToken") {
            const now = Math.floor(Date.now() / 1000)
            res.writeHead(200, { "content-type": "application/json" })
            res.end(
              JSON.stringify({ code: 0, message: null, response: { access_token: token, now, expired_at: now + 1800 } })
            )
            return
          }
          traceparents.push(req.headers.traceparent as string | undefined)
          const answer = answers[Math.min(n++, answers.length - 1)]!
          res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers })
          res.end(JSON.stringify(answer.body))
        })
      })
      server.listen(0, "127.0.0.1", () =>
        resume(
          Effect.succeed({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, traceparents })
        )
      )
    }),
    ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

/** The SDK's in-memory exporter behind `@effect/opentelemetry`'s tracer. */
const otel = () => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const layer = OtelTracer.layer.pipe(
    Layer.provide(OtelResource.layer({ serviceName: "iamport-test" })),
    Layer.provide(Layer.succeed(OtelTracer.OtelTracerProvider, provider))
  )
  return { exporter, layer }
}

const ok = (response: unknown) => ({ status: 200, body: { code: 0, message: null, response } })
const unavailable = {
  status: 503,
  body: { code: -1, message: "점검 중", response: null },
  headers: { "retry-after": "0" }
}

type Transport = "HttpClient" | "undici"

const clientLayer = (transport: Transport, url: string, options: Partial<IamportClient.Options> = {}) => {
  const common: IamportClient.Options = {
    apiKey: "imp_apikey",
    apiSecret: Redacted.make(secret),
    baseUrl: url,
    retryBase: "1 millis",
    ...options
  }
  return transport === "HttpClient"
    ? IamportClient.layer(common).pipe(Layer.provide(NodeHttpClient.layerUndici))
    : NodeIamportClient.layer(common)
}

/** The exported spans as an indented tree, each with its attributes and events. */
export const spanTree = (spans: ReadonlyArray<ReadableSpan>): string => {
  const children = new Map<string | undefined, Array<ReadableSpan>>()
  const ids = new Set(spans.map((s) => s.spanContext().spanId))
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId
    const key = parent !== undefined && ids.has(parent) ? parent : undefined
    children.set(key, [...(children.get(key) ?? []), span])
  }
  const lines: Array<string> = []
  const walk = (parent: string | undefined, depth: number) => {
    const sorted = [...(children.get(parent) ?? [])].sort((a, b) =>
      a.startTime[0] - b.startTime[0] !== 0 ? a.startTime[0] - b.startTime[0] : a.startTime[1] - b.startTime[1]
    )
    for (const span of sorted) {
      const pad = "  ".repeat(depth)
      const status = span.status.code === 2 ? " [ERROR]" : ""
      lines.push(`${pad}${span.name} (${["internal", "server", "client"][span.kind] ?? span.kind})${status}`)
      for (const [key, value] of Object.entries(span.attributes))
        lines.push(`${pad}    ${key} = ${JSON.stringify(value)}`)
      for (const event of span.events)
        lines.push(`${pad}    event ${event.name} ${JSON.stringify(event.attributes ?? {})}`)
      walk(span.spanContext().spanId, depth + 1)
    }
  }
  walk(undefined, 0)
  return lines.join("\n")
}

const callSpan = (spans: ReadonlyArray<ReadableSpan>, name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name)
  assert.strictEqual(found.length, 1, `one ${name} span`)
  return found[0]!
}

describe.each(["HttpClient", "undici"] as const)("OpenTelemetry over %s", (transport) => {
  it.scopedLive("a read that retried: one call span, its attempts as events, an HTTP span per attempt", () =>
    Effect.gen(function* () {
      const { exporter, layer } = otel()
      const api = yield* server([unavailable, ok(fullApiPayment)])
      const payment = yield* Payments.getPayment("imp_448280090638").pipe(
        Effect.provide(clientLayer(transport, api.url, { spanAttributes: { "iamport.tenant": "shop-1" } })),
        Effect.withSpan("checkout"),
        Effect.provide(layer)
      )
      assert.strictEqual(payment.imp_uid, "imp_448280090638")
      const spans = exporter.getFinishedSpans()
      if (transport === "HttpClient")
        console.log(`span tree of one call that retried (${transport}):\n${spanTree(spans)}`)
      const call = callSpan(spans, "Iamport GET /payments/{imp_uid}")
      assert.strictEqual(call.kind, 2) // CLIENT
      assert.deepInclude(call.attributes, {
        endpoint: "GET /payments/{imp_uid}",
        "http.request.method": "GET",
        "url.template": "/payments/{imp_uid}",
        "server.address": "127.0.0.1",
        "http.response.status_code": 200,
        "iamport.attempts": 2,
        "iamport.tenant": "shop-1"
      })
      assert.deepStrictEqual(
        call.events.map((e) => [e.name, e.attributes]),
        [["iamport.retry", { "iamport.attempt": 2, "iamport.retry.reason": "IamportApiError HTTP 503 code -1" }]]
      )
      // the call span is a child of the caller's, and each attempt's HTTP span a child of the call's
      const checkout = callSpan(spans, "checkout")
      assert.strictEqual(call.parentSpanContext?.spanId, checkout.spanContext().spanId)
      const attempts = spans.filter(
        (s) => s.name === "http.client GET" && s.parentSpanContext?.spanId === call.spanContext().spanId
      )
      assert.deepStrictEqual(
        attempts.map((s) => s.attributes["http.response.status_code"]),
        [503, 200]
      )
      for (const attempt of attempts) {
        assert.strictEqual(attempt.attributes["url.full"], `${api.url}/payments/imp_448280090638`)
        assert.strictEqual(attempt.attributes["http.request.header.authorization"], "<redacted>")
      }
      // the trace context went out with each attempt
      assert.deepStrictEqual(
        api.traceparents,
        attempts.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`)
      )
      // nothing exported carries the secret or the token
      const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]))
      assert.notInclude(everything, secret)
      assert.notInclude(everything, token)
    })
  )

  it.scopedLive("a business failure: the span is an error with error.type and i'mport's code", () =>
    Effect.gen(function* () {
      const { exporter, layer } = otel()
      const api = yield* server([
        { status: 200, body: { code: 1, message: "취소할 결제건이 존재하지 않습니다.", response: null } }
      ])
      const error = yield* Payments.cancel({ imp_uid: "imp_1", reason: "test" }, { confirm: false }).pipe(
        Effect.flip,
        Effect.provide(clientLayer(transport, api.url)),
        Effect.provide(layer)
      )
      assert.strictEqual(error._tag, "IamportApiError")
      const call = callSpan(exporter.getFinishedSpans(), "Iamport POST /payments/cancel")
      assert.strictEqual(call.status.code, 2) // ERROR
      assert.deepInclude(call.attributes, {
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "error.type": "IamportApiError",
        "iamport.code": 1
      })
      assert.deepStrictEqual(
        call.events.filter((e) => e.name === "iamport.retry"),
        []
      )
    })
  )
})

describe("OpenTelemetry: the two transports", () => {
  it.scopedLive("NodeIamportClient's HTTP spans have the HttpClient path's names and attributes", () =>
    Effect.gen(function* () {
      const shapes = []
      for (const transport of ["HttpClient", "undici"] as const) {
        const { exporter, layer } = otel()
        const api = yield* server([ok(fullApiPayment)])
        yield* Payments.getPayment("imp_448280090638").pipe(
          Effect.provide(clientLayer(transport, api.url)),
          Effect.provide(layer)
        )
        shapes.push(
          exporter
            .getFinishedSpans()
            .filter((s) => s.name.startsWith("http.client"))
            .map((s) => ({
              name: s.name,
              kind: s.kind,
              keys: Object.keys(s.attributes)
                .filter((k) => !k.startsWith("http.response.header."))
                .sort()
            }))
        )
      }
      assert.strictEqual(shapes[0]!.length, 2) // getToken and the call
      assert.deepStrictEqual(shapes[1], shapes[0])
    })
  )
})
