/**
 * The request pipeline over a transport: the shared token cache, the
 * `Authorization` and `Tier` headers, the envelope and the response schema,
 * retries of idempotent reads on transient failures, one replay after a 401,
 * and a span per call, over any transport. `IamportClient.makeWith` binds it;
 * `IamportClient.make` runs it over an `HttpClient`, `NodeIamportClient.make`
 * over undici.
 *
 * @internal
 */
import * as UrlParams from "@effect/platform/UrlParams"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Metric from "effect/Metric"
import * as MetricLabel from "effect/MetricLabel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type { Scope } from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import * as IamportAuth from "../IamportAuth.js"
import type { ApiRequest, MakeOptions, Service } from "../IamportClient.js"
import {
  IamportApiError,
  type IamportAuthError,
  type IamportError,
  IamportDecodeError,
  IamportInvalidArgumentError,
  IamportInvalidCredentialsError,
  IamportTokenExpiredError,
  IamportTransportError,
  IamportUnauthorizedError,
  isTransient
} from "../IamportError.js"
import type { Answer, IamportTransport } from "../IamportTransport.js"
import { FastDecode } from "./fastDecode.js"
import { fillPath } from "./path.js"
import { decodeResponse, readEnvelope } from "./response.js"
import { nativeTracer, serverAttributes } from "./tracer.js"
import { warmTokens } from "./warmToken.js"
import { defaultBaseUrl, invalidBaseUrl } from "./transport.js"

/**
 * The client's options, reading `IMP_KEY`, `IMP_SECRET`, `IAMPORT_BASE_URL`, `IAMPORT_TIER`,
 * `IAMPORT_TIMEOUT` and `IAMPORT_RETRIES` unless given. A base URL that is not an absolute `http(s)` URL
 * (`127.0.0.1:4010`, without its scheme) is a `ConfigError`, whether read or given.
 */
export const optionsConfig = <O extends MakeOptions>(config: Partial<Config.Config.Wrap<O>>): Config.Config<O> =>
  Config.unwrap<O>({
    apiKey: Config.string("IMP_KEY"),
    apiSecret: Config.redacted("IMP_SECRET"),
    ...optionalConfig("baseUrl", Config.string("IAMPORT_BASE_URL")),
    ...optionalConfig("tier", Config.string("IAMPORT_TIER")),
    ...optionalConfig("timeout", Config.duration("IAMPORT_TIMEOUT")),
    ...optionalConfig(
      "retries",
      Config.integer("IAMPORT_RETRIES").pipe(
        Config.validate({
          message: "Expected a number of retries from 0 up",
          validation: (n) => n >= 0
        })
      )
    ),
    ...config
  } as unknown as Config.Config.Wrap<O>).pipe(Config.mapOrFail(checkBaseUrl))

const optionalConfig = <K extends string, A>(key: K, config: Config.Config<A>) => ({
  [key]: Config.option(config).pipe(Config.map(Option.getOrUndefined))
})

const checkBaseUrl = <O>(options: O): Either.Either<O, ConfigError.ConfigError> => {
  const baseUrl = (options as { readonly baseUrl?: unknown }).baseUrl
  const issue = typeof baseUrl === "string" ? invalidBaseUrl(baseUrl) : undefined
  return issue === undefined
    ? Either.right(options)
    : Either.left(ConfigError.InvalidData(["IAMPORT_BASE_URL"], `The base URL ${issue}`))
}

/**
 * Metrics of every client in the process that was built with `metrics: true`: the time of each call (from
 * its first attempt to its answer, retries included) by endpoint, and the calls that failed, by endpoint and
 * error tag.
 */
export const metrics = {
  duration: Metric.timerWithBoundaries(
    "iamport_call_duration",
    [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000],
    "time of i'mport calls, retries included, by endpoint"
  ),
  errors: Metric.counter("iamport_call_errors", { description: "failed i'mport calls, by endpoint and error tag" })
} as const

const TokenResponse = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  now: Schema.Number,
  expired_at: Schema.Number
})

const acceptJson = { accept: "application/json" } as const

/** Decoding options when `FastDecode` is off: Schema only. */
const schemaOnly = { fast: false } as const

/** The longest wait a `Retry-After` header gets unless `maxRetryAfter` says otherwise. */
const defaultMaxRetryAfter = Duration.seconds(10)

/** The client's `request` and its token cache, over `send` (to `options.baseUrl`, when given, for the spans). */
export const makePipeline = (
  send: IamportTransport,
  options: MakeOptions & { readonly baseUrl?: string | undefined }
): Effect.Effect<{ readonly service: Service; readonly auth: IamportAuth.Service }, never, Scope> =>
  Effect.gen(function* () {
    const schedule: Schedule.Schedule<unknown, IamportError> =
      options.retrySchedule ??
      Schedule.exponential(options.retryBase ?? Duration.millis(100)).pipe(
        Schedule.jittered,
        Schedule.intersect(Schedule.recurs(Math.max(0, options.retries ?? 2)))
      )
    const maxRetryAfter = Duration.decode(options.maxRetryAfter ?? defaultMaxRetryAfter)
    // The schedule's delay, or the server's `Retry-After` (capped) when it asks for longer.
    const retryPolicy = Schedule.intersect(schedule, Schedule.identity<IamportError>()).pipe(
      Schedule.modifyDelay(([, error], delay) => {
        const asked = retryAfterOf(error)
        return asked === undefined ? delay : Duration.max(delay, Duration.min(Duration.seconds(asked), maxRetryAfter))
      })
    )
    const retryWhile = options.retryWhile
    const spanAttributes = {
      ...serverAttributes(options.baseUrl ?? defaultBaseUrl),
      ...options.spanAttributes
    }
    const callMetrics =
      options.metrics === true ? new Map<string, Metric.Metric.Histogram<Duration.Duration>>() : undefined

    const issue: Effect.Effect<IamportAuth.TokenGrant, IamportAuthError> = Effect.gen(function* () {
      const endpoint = "POST /users/getToken"
      const answer = yield* send(endpoint, {
        method: "POST",
        path: "/users/getToken",
        headers: acceptJson,
        body: JSON.stringify({ imp_key: options.apiKey, imp_secret: Redacted.value(options.apiSecret) })
      })
      if (answer.status === 401 || answer.status === 400 || answer.status === 403) {
        const envelope = Either.getRight(readEnvelope(endpoint, 200, answer.body))
        return yield* new IamportInvalidCredentialsError({
          status: answer.status,
          ...Option.match(envelope, {
            onNone: () => ({}),
            onSome: (e) => ({ code: e.code, ...(e.apiMessage ? { apiMessage: e.apiMessage } : {}) })
          })
        })
      }
      const envelope = readEnvelope(endpoint, answer.status, answer.body)
      if (Either.isLeft(envelope)) {
        const failure = envelope.left
        if (failure._tag === "IamportApiError" && isTransient(failure)) {
          // A server error or a rate limit, not a verdict on the credentials: transient, so the cache retries it.
          return yield* new IamportTransportError({
            endpoint,
            reason: "ServerError",
            status: failure.status,
            mayHaveBeenProcessed: true
          })
        }
        if (failure._tag === "IamportApiError") {
          return yield* new IamportInvalidCredentialsError({
            status: failure.status,
            code: failure.code,
            ...(failure.apiMessage ? { apiMessage: failure.apiMessage } : {})
          })
        }
        if (failure._tag === "IamportNotFoundError") {
          return yield* new IamportDecodeError({
            endpoint,
            status: 404,
            issue: "getToken route not found: check baseUrl"
          })
        }
        return yield* failure
      }
      const grant = yield* decodeResponse(endpoint, answer.status, envelope.right, TokenResponse, {
        redactValues: true,
        fast: yield* FastDecode
      })
      return { accessToken: grant.access_token, now: grant.now, expiredAt: grant.expired_at }
    }).pipe(Effect.withSpan("IamportAuth.getToken", { captureStackTrace: false }))

    const auth = yield* IamportAuth.make(issue, { storeKey: options.apiKey, ...options.tokenCache })
    // The cache retries getToken itself: a token failure is not retried again by the request.
    const tokenOrFailure = Effect.mapError(auth.token, (error) => new TokenFailure(error))
    const warmToken = warmTokens.get(auth) ?? (() => undefined)

    const request = <A, I>(api: ApiRequest<A, I>): Effect.Effect<A, IamportError> => {
      const endpoint = `${api.method} ${api.path}`
      const path = fillPath(api.path, api.pathParams)
      if (Either.isLeft(path)) {
        return Effect.fail(new IamportInvalidArgumentError({ endpoint, ...path.left }))
      }
      const query = api.urlParams === undefined ? "" : UrlParams.toString(UrlParams.fromInput(api.urlParams))
      const target = query === "" ? path.right : `${path.right}?${query}`
      const body = api.body === undefined ? undefined : JSON.stringify(api.body)
      const headers = (token: IamportAuth.AccessToken): Record<string, string> =>
        options.tier === undefined
          ? { accept: "application/json", authorization: `Bearer ${Redacted.value(token.value)}` }
          : { accept: "application/json", authorization: `Bearer ${Redacted.value(token.value)}`, tier: options.tier }

      const attempt = (token: IamportAuth.AccessToken) =>
        send(endpoint, { method: api.method, path: target, headers: headers(token), body })

      const idempotent = api.idempotent ?? api.method === "GET"
      // a write answered 5xx may have been processed, whatever the body says: its outcome is unknown
      const decodeWith = (answer: Answer, fast: boolean): Effect.Effect<A, IamportError> => {
        const decoded = Either.flatMap(readEnvelope(endpoint, answer.status, answer.body, !idempotent), (envelope) =>
          decodeResponse(endpoint, answer.status, envelope, api.response, fast ? undefined : schemaOnly)
        )
        return answer.retryAfter === undefined ? decoded : Effect.catchAll(decoded, withRetryAfter(answer.retryAfter))
      }
      const decode = (answer: Answer) => Effect.flatMap(FastDecode, (fast) => decodeWith(answer, fast))

      // The API rejected the request before doing anything: refresh once and replay once.
      const replay = (
        send: (token: IamportAuth.AccessToken) => Effect.Effect<Answer, IamportError>,
        rejectedToken: IamportAuth.AccessToken
      ) =>
        Effect.gen(function* () {
          yield* auth.invalidate(rejectedToken)
          const fresh = yield* tokenOrFailure
          const second = yield* send(fresh)
          if (second.status !== 401) return yield* decode(second)
          return yield* rejected(endpoint, second, auth.isExpired(fresh))
        })

      /** One attempt, and one replay after a 401; `span` (when traced) gets each answer's status. */
      const once = (span: Tracer.Span | undefined) => {
        const send =
          span === undefined
            ? attempt
            : (token: IamportAuth.AccessToken) =>
                Effect.tap(attempt(token), (answer) => span.attribute("http.response.status_code", answer.status))
        return Effect.flatMap(tokenOrFailure, (token) =>
          Effect.flatMap(send(token), (first) => (first.status === 401 ? replay(send, token) : decode(first)))
        )
      }

      const recover =
        (first: Effect.Effect<A, IamportError | TokenFailure>, span: Tracer.Span | undefined) =>
        (error: IamportError | TokenFailure) =>
          idempotent && retryable(error) ? retrying(endpoint, error, first, span) : Effect.fail(unwrap(error))

      const handled = (span: Tracer.Span | undefined) => {
        const first = once(span)
        return Effect.catchAll(first, recover(first, span))
      }

      const measured = (effect: Effect.Effect<A, IamportError>) =>
        callMetrics === undefined ? effect : measure(callMetrics, endpoint, effect)
      return Effect.withFiberRuntime((fiber) => {
        const tracer = fiber.currentTracer
        if (tracer === nativeTracer && callMetrics === undefined) {
          // Every call's hot path: with a warm token, no span and no metrics, the same steps as `handled`
          // with the token and `FastDecode` read here, in this one step, instead of as Effects of their own.
          const token = warmToken(Context.get(fiber.currentDefaultServices, Clock.Clock))
          if (token !== undefined) {
            const fast = Context.get(fiber.currentContext, FastDecode)
            const first = Effect.flatMap(attempt(token), (answer) =>
              answer.status === 401 ? replay(attempt, token) : decodeWith(answer, fast)
            )
            return Effect.catchAll(first, (error) => recover(once(undefined), undefined)(error))
          }
        }
        return tracer === nativeTracer
          ? measured(handled(undefined))
          : Effect.useSpan(
              `Iamport ${endpoint}`,
              {
                kind: "client",
                attributes: {
                  endpoint,
                  "http.request.method": api.method,
                  "url.template": api.path,
                  ...spanAttributes
                },
                captureStackTrace: false
              },
              (span) =>
                measured(
                  Effect.withParentSpan(
                    Effect.tapError(handled(span), (error) => Effect.sync(() => annotateFailure(span, error))),
                    span
                  )
                )
            )
      })
    }

    /**
     * Retries `once`, which has failed with `first`, as the policy says: only transient failures of reads,
     * each retry logged at Debug and, when traced, an event on the call's span. Built only after a failure,
     * so a call that succeeds at once never makes a schedule.
     */
    const retrying = <A>(
      endpoint: string,
      first: IamportError | TokenFailure,
      once: Effect.Effect<A, IamportError | TokenFailure>,
      span: Tracer.Span | undefined
    ): Effect.Effect<A, IamportError> =>
      Effect.flatMap(Schedule.driver(retryPolicy), (driver) => {
        const loop = (error: IamportError | TokenFailure, attempt: number): Effect.Effect<A, IamportError> => {
          if (error instanceof TokenFailure) return Effect.fail(error.error)
          if (!isTransient(error) || (retryWhile !== undefined && !retryWhile(error))) return Effect.fail(error)
          return Effect.matchEffect(driver.next(error), {
            onFailure: () => Effect.fail(error),
            onSuccess: () => {
              const reason = retryReason(error)
              const noted = Effect.logDebug("retrying an i'mport call").pipe(
                Effect.annotateLogs({ endpoint, attempt, reason })
              )
              const traced =
                span === undefined
                  ? noted
                  : Effect.zipRight(
                      Effect.flatMap(Clock.currentTimeNanos, (now) =>
                        Effect.sync(() => {
                          span.event("iamport.retry", now, {
                            "iamport.attempt": attempt,
                            "iamport.retry.reason": reason
                          })
                          span.attribute("iamport.attempts", attempt)
                        })
                      ),
                      noted
                    )
              return Effect.zipRight(
                traced,
                Effect.catchAll(once, (next) => loop(next, attempt + 1))
              )
            }
          })
        }
        return loop(first, 2)
      })

    return { service: { request }, auth }
  })

/** A second 401 after a fresh token: expired if the fresh token already was, rejected otherwise. */
const rejected = (
  endpoint: string,
  answer: Answer,
  expired: Effect.Effect<boolean>
): Effect.Effect<never, IamportTokenExpiredError | IamportUnauthorizedError> =>
  Effect.flatMap(expired, (isExpired): Effect.Effect<never, IamportTokenExpiredError | IamportUnauthorizedError> => {
    const envelope = Either.getRight(readEnvelope(endpoint, 200, answer.body))
    const apiMessage = Option.flatMap(envelope, (e) => Option.fromNullable(e.apiMessage))
    const message = Option.match(apiMessage, { onNone: () => ({}), onSome: (m) => ({ apiMessage: m }) })
    return isExpired
      ? Effect.fail(new IamportTokenExpiredError({ endpoint, ...message }))
      : Effect.fail(
          new IamportUnauthorizedError({
            endpoint,
            ...Option.match(envelope, { onNone: () => ({}), onSome: (e) => ({ code: e.code }) }),
            ...message
          })
        )
  })

/** Marks a failure of the token cache inside one request, so the request's retry skips it. */
class TokenFailure {
  constructor(readonly error: IamportAuthError) {}
}

/** A transient failure of the request itself (the token cache already retried its own). */
const retryable = (error: IamportError | TokenFailure): boolean =>
  !(error instanceof TokenFailure) && isTransient(error)

/** The seconds a failure's `Retry-After` asked to wait, if it did. */
const retryAfterOf = (error: IamportError): number | undefined =>
  error._tag === "IamportApiError" || error._tag === "IamportTransportError" ? error.retryAfter : undefined

/**
 * Adds a 429 or 503 answer's `Retry-After` (delta-seconds, or an HTTP date measured on the `Clock`) to the
 * failure it decoded to.
 */
const withRetryAfter =
  (header: string) =>
  (error: IamportError): Effect.Effect<never, IamportError> => {
    if (error._tag !== "IamportApiError" && error._tag !== "IamportTransportError") return Effect.fail(error)
    const status = error.status
    if (status !== 429 && status !== 503) return Effect.fail(error)
    const trimmed = header.trim()
    if (/^\d+$/.test(trimmed)) return Effect.fail(setRetryAfter(error, Number(trimmed)))
    const date = Date.parse(trimmed)
    if (Number.isNaN(date)) return Effect.fail(error)
    return Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.fail(setRetryAfter(error, Math.max(0, Math.ceil((date - now) / 1000))))
    )
  }

const setRetryAfter = (
  error: IamportApiError | IamportTransportError,
  seconds: number
): IamportApiError | IamportTransportError =>
  error._tag === "IamportApiError"
    ? new IamportApiError({ ...error, retryAfter: seconds })
    : new IamportTransportError({ ...error, retryAfter: seconds })

/** Why a retry happens, for its log line and span event: the error's tag and status, never its message. */
const retryReason = (error: IamportError): string => {
  switch (error._tag) {
    case "IamportTransportError":
      return error.status === undefined
        ? `${error._tag} ${error.reason}`
        : `${error._tag} ${error.reason} HTTP ${error.status}`
    case "IamportApiError":
      return `${error._tag} HTTP ${error.status} code ${error.code}`
    default:
      return error._tag
  }
}

/** A failed call's span: OpenTelemetry's `error.type`, and i'mport's `code` when the API gave one. */
const annotateFailure = (span: Tracer.Span, error: IamportError): void => {
  span.attribute("error.type", error._tag)
  if ("code" in error && error.code !== undefined) span.attribute("iamport.code", error.code)
}

/** Records a call's time in `metrics.duration`, and its failure in `metrics.errors`, by endpoint. */
const measure = <A>(
  cache: Map<string, Metric.Metric.Histogram<Duration.Duration>>,
  endpoint: string,
  effect: Effect.Effect<A, IamportError>
): Effect.Effect<A, IamportError> => {
  let timer = cache.get(endpoint)
  if (timer === undefined) {
    timer = Metric.tagged(metrics.duration, "endpoint", endpoint)
    cache.set(endpoint, timer)
  }
  const failures = Effect.tapError(effect, (error) =>
    Metric.increment(
      Metric.taggedWithLabels(metrics.errors, [
        MetricLabel.make("endpoint", endpoint),
        MetricLabel.make("error", error._tag)
      ])
    )
  )
  const histogram = timer
  // every outcome is timed (`Metric.trackDuration` times successes only)
  return Effect.clockWith((clock) => {
    const start = clock.unsafeCurrentTimeNanos()
    return Effect.ensuring(
      failures,
      Effect.suspend(() => Metric.update(histogram, Duration.nanos(clock.unsafeCurrentTimeNanos() - start)))
    )
  })
}

const unwrap = (error: IamportError | TokenFailure): IamportError =>
  error instanceof TokenFailure ? error.error : error
