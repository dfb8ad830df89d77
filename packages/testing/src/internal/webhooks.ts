/**
 * Webhook delivery, as the real service does it: an HTTP POST of
 * `{imp_uid, merchant_uid, status, cancellation_id?}` (JSON or form) to the
 * payment's `notice_url` or the configured URL; with resending on, a network
 * error or a 5xx answer is retried up to 5 times at 1-minute intervals on the
 * emulator's clock. Every attempt is recorded.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { WebhookDelivery, WebhookEvent } from "../IamportEmulator.js"

export type { WebhookDelivery, WebhookEvent }

export interface WebhookOptions {
  readonly url: string | undefined
  readonly format: "json" | "form"
  /** Resends after the first attempt (the real service: 0 by default, 5 when enabled on request). */
  readonly resends: number
  readonly interval: Duration.Duration
  readonly timeout: Duration.Duration
}

export interface Webhooks {
  /** Sends in the background (forked in the emulator's scope). */
  readonly dispatch: (event: WebhookEvent) => Effect.Effect<void>
  readonly deliveries: () => ReadonlyArray<WebhookDelivery>
}

const MAX_RECORDED = 1000

export const make = (options: WebhookOptions): Effect.Effect<Webhooks, never, Scope.Scope> =>
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    const recorded: Array<WebhookDelivery> = []
    const record = (delivery: WebhookDelivery) => {
      recorded.push(delivery)
      if (recorded.length > MAX_RECORDED) recorded.shift()
    }

    const encode = (event: WebhookEvent): { body: string; contentType: string } => {
      const fields: Record<string, string> = {
        imp_uid: event.imp_uid,
        merchant_uid: event.merchant_uid,
        status: event.status,
        ...(event.cancellation_id !== undefined ? { cancellation_id: event.cancellation_id } : {})
      }
      return options.format === "form"
        ? { body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" }
        : { body: JSON.stringify(fields), contentType: "application/json" }
    }

    const post = (url: string, body: string, contentType: string) =>
      Effect.tryPromise({
        try: (signal) =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": contentType },
            body,
            signal: AbortSignal.any([signal, AbortSignal.timeout(Duration.toMillis(options.timeout))])
          }).then(async (response) => {
            await response.arrayBuffer()
            return response.status
          }),
        catch: (cause) => (cause instanceof Error ? cause.message : String(cause))
      })

    const deliver = (url: string, event: WebhookEvent) =>
      Effect.gen(function* () {
        const { body, contentType } = encode(event)
        for (let attempt = 1; attempt <= 1 + options.resends; attempt++) {
          const result = yield* Effect.either(post(url, body, contentType))
          const status = result._tag === "Right" ? result.right : 0
          record({
            url,
            body,
            contentType,
            attempt,
            status,
            ...(result._tag === "Left" ? { error: result.left } : {})
          })
          if (status !== 0 && status < 500) return
          if (attempt <= options.resends) yield* Effect.sleep(options.interval)
        }
      })

    return {
      dispatch: (event) => {
        const url = event.url ?? options.url
        return url === undefined ? Effect.void : Effect.asVoid(Effect.forkIn(deliver(url, event), scope))
      },
      deliveries: () => recorded.slice()
    }
  })
