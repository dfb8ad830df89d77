/**
 * What the pipeline and the transports share about tracing: whether anyone can see a span.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Tracer from "effect/Tracer"

/**
 * Effect's built-in tracer, which exports nothing. Under it the per-call and per-request spans are skipped:
 * nobody can see them, and the call's span alone cost about 15 % of a call's CPU. Install a tracer
 * (`@effect/opentelemetry`, or any `Layer.setTracer`) and every call gets its spans.
 */
export const nativeTracer: Tracer.Tracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/** `server.address` and `server.port` of a base URL, as OpenTelemetry's HTTP conventions name them. */
export const serverAttributes = (baseUrl: string): Readonly<Record<string, unknown>> => {
  try {
    const url = new URL(baseUrl)
    return url.port === ""
      ? { "server.address": url.hostname }
      : { "server.address": url.hostname, "server.port": +url.port }
  } catch {
    return {}
  }
}
