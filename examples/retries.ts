/**
 * Retries as data: a `Schedule` of the errors, a `while` that narrows it, and the server's `Retry-After`
 * honoured up to a cap. Only reads are ever retried, and only on transient failures: a charge or a cancel
 * never is, whatever the policy says. Each retry is logged at Debug with the endpoint and the reason.
 */
import { IamportClient, type IamportError } from "@effect-iamport/client"
import { FetchHttpClient } from "@effect/platform"
import { Config, Layer, Schedule } from "effect"

/** Up to 5 retries, 200 ms apart and growing, jittered, within 10 seconds in all. */
export const policy: Schedule.Schedule<unknown, IamportError.IamportError> = Schedule.exponential("200 millis").pipe(
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(5)),
  Schedule.upTo("10 seconds")
)

/**
 * The client with that policy, not retrying timeouts (a slow API is not helped by more load), and waiting at
 * most 30 seconds when i'mport answers 429 or 503 with a `Retry-After`. `IMP_KEY`, `IMP_SECRET`,
 * `IAMPORT_BASE_URL` and `IAMPORT_TIMEOUT` come from the environment; a base URL without its scheme fails here.
 */
export const IamportLive = IamportClient.layerConfig({
  retrySchedule: Config.succeed(policy),
  retryWhile: Config.succeed(
    (error: IamportError.IamportError) => !(error._tag === "IamportTransportError" && error.reason === "Timeout")
  ),
  maxRetryAfter: Config.succeed("30 seconds")
}).pipe(Layer.provide(FetchHttpClient.layer))
