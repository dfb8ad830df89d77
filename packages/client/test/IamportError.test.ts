import { IamportError } from "@effect-iamport/client"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"

const endpoint = "GET /payments/{imp_uid}"

/** One of each error class. */
const everyError: ReadonlyArray<IamportError.IamportError> = [
  new IamportError.IamportInvalidCredentialsError({ status: 401, code: -1 }),
  new IamportError.IamportTokenExpiredError({ endpoint }),
  new IamportError.IamportUnauthorizedError({ endpoint }),
  new IamportError.IamportNotFoundError({ endpoint }),
  new IamportError.IamportApiError({
    endpoint,
    status: 200,
    code: 1,
    apiMessage: "취소할 결제건이 존재하지 않습니다."
  }),
  new IamportError.IamportTransportError({ endpoint, reason: "Timeout", mayHaveBeenProcessed: false }),
  new IamportError.IamportDecodeError({ endpoint, status: 200, issue: "not an i'mport envelope" }),
  new IamportError.IamportInvalidArgumentError({ endpoint, argument: "imp_uid", issue: "empty" })
]

const apiError = (status: number) => new IamportError.IamportApiError({ endpoint, status, code: -1 })

/**
 * A handler's error union that also holds `HttpApiError`s: both guards take `unknown`, so `Effect.catchIf`
 * accepts them on it. With `isTransient: (error: IamportError) => boolean` this does not compile.
 */
const recover = (program: Effect.Effect<string, IamportError.IamportError | HttpApiError.NotFound>) =>
  program.pipe(
    Effect.catchIf(IamportError.isTransient, () => Effect.succeed("try again later")),
    Effect.catchIf(IamportError.isIamportError, (error) => Effect.succeed(error._tag))
  )

describe("IamportError", () => {
  it("types: both guards fit Effect.catchIf on a union with other errors; isIamportError narrows it", () => {
    expectTypeOf(IamportError.isIamportError).parameter(0).toBeUnknown()
    expectTypeOf(IamportError.isTransient).parameter(0).toBeUnknown()
    expectTypeOf(recover).returns.toEqualTypeOf<Effect.Effect<string, HttpApiError.NotFound>>()
  })

  it("every error carries the TypeId; isIamportError tests it, not the tag", () => {
    for (const error of everyError) {
      assert.strictEqual(error[IamportError.TypeId], IamportError.TypeId, error._tag)
      assert.isTrue(IamportError.isIamportError(error), error._tag)
    }
    assert.strictEqual(new Set(everyError.map((e) => e._tag)).size, everyError.length)
    // a look-alike with the same tag and fields is not one
    assert.isFalse(IamportError.isIamportError({ _tag: "IamportApiError", endpoint, status: 503, code: -1 }))
    for (const other of [new HttpApiError.NotFound(), new Error("x"), null, undefined, "IamportApiError", 0, {}]) {
      assert.isFalse(IamportError.isIamportError(other))
    }
  })

  it("the TypeId survives a Schema round trip and stays out of JSON", () => {
    const error = new IamportError.IamportTransportError({
      endpoint,
      reason: "ServerError",
      status: 502,
      mayHaveBeenProcessed: true
    })
    const encoded = Schema.encodeSync(IamportError.IamportTransportError)(error)
    assert.isFalse(IamportError.isIamportError(encoded))
    const decoded = Schema.decodeUnknownSync(IamportError.IamportTransportError)(JSON.parse(JSON.stringify(encoded)))
    assert.isTrue(IamportError.isIamportError(decoded))
    assert.isTrue(IamportError.isTransient(decoded))
    assert.notInclude(JSON.stringify(error), "@effect-iamport")
  })

  it("isTransientStatus: 5xx, 429 and 408", () => {
    for (const status of [500, 502, 503, 504, 599, 429, 408]) assert.isTrue(IamportError.isTransientStatus(status))
    for (const status of [200, 201, 400, 401, 403, 404, 409, 422, 499]) {
      assert.isFalse(IamportError.isTransientStatus(status))
    }
  })

  it("isTransient: transport errors, and API errors with a transient status; nothing else", () => {
    const transient = everyError.filter(IamportError.isTransient).map((e) => e._tag)
    assert.deepStrictEqual(transient, ["IamportTransportError"])
    for (const status of [500, 503, 429, 408]) assert.isTrue(IamportError.isTransient(apiError(status)))
    for (const status of [200, 400, 409]) assert.isFalse(IamportError.isTransient(apiError(status)))
    assert.isFalse(IamportError.isTransient({ _tag: "IamportTransportError", endpoint, reason: "Timeout" }))
    assert.isFalse(IamportError.isTransient(new HttpApiError.ServiceUnavailable()))
    assert.isFalse(IamportError.isTransient(undefined))
  })

  it.effect("catchIf on a mixed union recovers the transient and the i'mport errors, not the others", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* recover(Effect.fail(apiError(503))), "try again later")
      assert.strictEqual(yield* recover(Effect.fail(apiError(400))), "IamportApiError")
      assert.strictEqual(
        yield* recover(Effect.fail(new IamportError.IamportNotFoundError({ endpoint }))),
        "IamportNotFoundError"
      )
      const notFound = yield* Effect.exit(recover(Effect.fail(new HttpApiError.NotFound())))
      assert.isTrue(Exit.isFailure(notFound))
      assert.deepStrictEqual(notFound, Exit.fail(new HttpApiError.NotFound()))
    })
  )
})

describe("IamportError.toHttpResponse", () => {
  const cases: ReadonlyArray<readonly [IamportError.IamportError, number]> = [
    [new IamportError.IamportInvalidArgumentError({ endpoint, argument: "imp_uid", issue: "empty" }), 400],
    [new IamportError.IamportNotFoundError({ endpoint, code: 1 }), 404],
    [new IamportError.IamportApiError({ endpoint, status: 200, code: 1, apiMessage: "카드 한도 초과" }), 422],
    [new IamportError.IamportApiError({ endpoint, status: 503, code: -1, retryAfter: 7 }), 503],
    [new IamportError.IamportTransportError({ endpoint, reason: "Timeout", mayHaveBeenProcessed: true }), 504],
    [
      new IamportError.IamportTransportError({
        endpoint,
        reason: "ServerError",
        status: 429,
        mayHaveBeenProcessed: false
      }),
      503
    ],
    [new IamportError.IamportTransportError({ endpoint, reason: "Connection", mayHaveBeenProcessed: true }), 502],
    [new IamportError.IamportDecodeError({ endpoint, status: 200, issue: "not an i'mport envelope" }), 502],
    [new IamportError.IamportInvalidCredentialsError({ status: 401, code: -1 }), 500],
    [new IamportError.IamportTokenExpiredError({ endpoint }), 500],
    [new IamportError.IamportUnauthorizedError({ endpoint }), 500]
  ]

  it("maps each tag to a status", () => {
    assert.deepStrictEqual(
      cases.map(([error]) => [error._tag, IamportError.toHttpResponse(error).status]),
      cases.map(([error, status]) => [error._tag, status])
    )
  })

  it.effect("in an HttpRouter: the status, a JSON body with the tag and i'mport's code, Retry-After", () =>
    Effect.gen(function* () {
      const failing = (error: IamportError.IamportError) =>
        Effect.fail(error).pipe(
          Effect.as(HttpServerResponse.empty()),
          Effect.catchIf(IamportError.isIamportError, (e) => Effect.succeed(IamportError.toHttpResponse(e)))
        )
      const router = HttpRouter.empty.pipe(
        HttpRouter.get("/declined", failing(cases[2]![0])),
        HttpRouter.get("/down", failing(cases[3]![0])),
        HttpRouter.get("/credentials", failing(cases[8]![0]))
      )
      const handler = HttpApp.toWebHandler(router)
      const get = (path: string) =>
        Effect.promise(async () => {
          const response = await handler(new Request(`http://shop.test${path}`))
          return {
            status: response.status,
            retryAfter: response.headers.get("retry-after"),
            body: await response.json()
          }
        })
      assert.deepStrictEqual(yield* get("/declined"), {
        status: 422,
        retryAfter: null,
        body: {
          error: "IamportApiError",
          message: "the payment service refused the request",
          code: 1,
          apiMessage: "카드 한도 초과",
          retryable: false
        }
      })
      const down = yield* get("/down")
      assert.strictEqual(down.status, 503)
      assert.strictEqual(down.retryAfter, "7")
      assert.strictEqual(down.body.retryable, true)
      const credentials = yield* get("/credentials")
      assert.strictEqual(credentials.status, 500)
      assert.strictEqual(credentials.body.error, "IamportInvalidCredentialsError")
    })
  )

  it("the body carries no endpoint, secret or token: only what a caller may see", () => {
    for (const [error] of cases) {
      const body = JSON.stringify(IamportError.httpBody(error))
      assert.notInclude(body, "/payments/", error._tag)
    }
  })
})
