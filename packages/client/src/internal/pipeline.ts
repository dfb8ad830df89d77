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
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type { Scope } from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as IamportAuth from "../IamportAuth.js"
import type { ApiRequest, MakeOptions, Service } from "../IamportClient.js"
import {
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

/** The client's options, reading `IMP_KEY`, `IMP_SECRET`, `IAMPORT_BASE_URL` and `IAMPORT_TIER` unless given. */
export const optionsConfig = <O extends MakeOptions>(config: Partial<Config.Config.Wrap<O>>): Config.Config<O> =>
  Config.unwrap<O>({
    apiKey: Config.string("IMP_KEY"),
    apiSecret: Config.redacted("IMP_SECRET"),
    ...optionalConfig("baseUrl", Config.string("IAMPORT_BASE_URL")),
    ...optionalConfig("tier", Config.string("IAMPORT_TIER")),
    ...config
  } as unknown as Config.Config.Wrap<O>)

const optionalConfig = <K extends string>(key: K, config: Config.Config<string>) => ({
  [key]: Config.option(config).pipe(Config.map(Option.getOrUndefined))
})

const TokenResponse = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  now: Schema.Number,
  expired_at: Schema.Number
})

const acceptJson = { accept: "application/json" } as const

/**
 * Effect's built-in tracer, which exports nothing. Under it the per-call span is skipped: nobody can see
 * it, and it cost about 15 % of a call's CPU. Install a tracer (`@effect/opentelemetry`, or any
 * `Layer.setTracer`) and every call gets its `Iamport <METHOD> <path>` span.
 */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/** Decoding options when `FastDecode` is off: Schema only. */
const schemaOnly = { fast: false } as const

/** The client's `request` and its token cache, over `send`. */
export const makePipeline = (
  send: IamportTransport,
  options: MakeOptions
): Effect.Effect<{ readonly service: Service; readonly auth: IamportAuth.Service }, never, Scope> =>
  Effect.gen(function* () {
    const retrySchedule = Schedule.exponential(options.retryBase ?? Duration.millis(100)).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(Math.max(0, options.retries ?? 2)))
    )

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
      const decode = (answer: Answer) =>
        Effect.flatMap(FastDecode, (fast) =>
          Either.flatMap(readEnvelope(endpoint, answer.status, answer.body, !idempotent), (envelope) =>
            decodeResponse(endpoint, answer.status, envelope, api.response, fast ? undefined : schemaOnly)
          )
        )

      // The API rejected the request before doing anything: refresh once and replay once.
      const replay = (rejectedToken: IamportAuth.AccessToken) =>
        Effect.gen(function* () {
          yield* auth.invalidate(rejectedToken)
          const fresh = yield* tokenOrFailure
          const second = yield* attempt(fresh)
          if (second.status !== 401) return yield* decode(second)
          return yield* rejected(endpoint, second, auth.isExpired(fresh))
        })

      // Written with `flatMap` rather than a generator: this is every call's hot path.
      const once = Effect.flatMap(tokenOrFailure, (token) =>
        Effect.flatMap(attempt(token), (first) => (first.status === 401 ? replay(token) : decode(first)))
      )

      const handled = Effect.catchAll(once, (error) =>
        idempotent && retryable(error) ? retryAfter(error, once) : Effect.fail(unwrap(error))
      )
      const spanName = `Iamport ${endpoint}`
      return Effect.tracerWith((tracer) =>
        tracer === nativeTracer
          ? handled
          : Effect.withSpan(handled, spanName, { kind: "client", attributes: { endpoint }, captureStackTrace: false })
      )
    }

    /**
     * What `Effect.retry(once, policy)` does once `once` has failed with `first`; built only after a
     * failure, so a call that succeeds at once never makes a schedule.
     */
    const retryAfter = <A>(first: IamportError | TokenFailure, once: Effect.Effect<A, IamportError | TokenFailure>) => {
      let replayed = false
      return Effect.retry(
        Effect.suspend(() => {
          if (replayed) return once
          replayed = true
          return Effect.fail(first)
        }),
        { schedule: retrySchedule, while: retryable }
      ).pipe(Effect.mapError(unwrap))
    }

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

const unwrap = (error: IamportError | TokenFailure): IamportError =>
  error instanceof TokenFailure ? error.error : error
