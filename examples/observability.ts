/**
 * Observability: every i'mport call traced with OpenTelemetry, and its metrics recorded.
 *
 * Each call is one `Iamport <METHOD> <path>` client span with OpenTelemetry's HTTP attributes
 * (`http.request.method`, `url.template`, `server.address`, `http.response.status_code`), an `iamport.retry`
 * event per retry (attempt number and reason), `error.type` and `iamport.code` when it fails, and your own
 * `spanAttributes`. Under it, each attempt's `http.client <METHOD>` span, on both layers. With `metrics: true`,
 * `IamportClient.metrics` records each call's time by endpoint and failures by endpoint and error tag.
 */
import { IamportClient, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as Resource from "@effect/opentelemetry/Resource"
import * as OtelTracer from "@effect/opentelemetry/Tracer"
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Config, Effect, Layer, Metric } from "effect"

/** The tracer: `@effect/opentelemetry` over the SDK (swap the console exporter for OTLP in production). */
export const TracingLive = OtelTracer.layer.pipe(
  Layer.provide(Resource.layer({ serviceName: "shop-payments" })),
  Layer.provide(
    Layer.succeed(
      OtelTracer.OtelTracerProvider,
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] })
    )
  )
)

/** The client, with a tenant on every span and the call metrics on. */
export const IamportLive = NodeIamportClient.layerConfig({
  spanAttributes: Config.succeed({ "shop.tenant": "store-1" }),
  metrics: Config.succeed(true)
})

/** How many lookups of a payment timed out so far. */
export const lookupTimeouts = Metric.value(
  IamportClient.metrics.errors.pipe(
    Metric.tagged("endpoint", "GET /payments/{imp_uid}"),
    Metric.tagged("error", "IamportTransportError")
  )
).pipe(Effect.map((state) => state.count))

export const program = Payments.getPayment("imp_123456789012").pipe(
  Effect.withSpan("checkout.confirm"),
  Effect.provide(IamportLive),
  Effect.provide(TracingLive)
)
