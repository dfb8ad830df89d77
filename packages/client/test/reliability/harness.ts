/**
 * Shared set-up of the reliability suite: the client over real sockets or in
 * process, and a recorder (logger, tracer, error capture, every token the
 * client sent) for the secret-hygiene assertions run after every matrix row.
 */
import { HttpClient } from "@effect/platform"
import { type IamportAuth, IamportClient, type IamportError } from "@effect-iamport/client"
import { IamportEmulator, IamportTest } from "@effect-iamport/testing"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import { assert } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import { makeRecording, type Recording } from "../fixtures/Recording.js"

export const secret = IamportEmulator.DEFAULT_API_SECRET

/** Everything the client logged, traced or failed with, plus the tokens it sent. */
export interface Recorder extends Recording {
  readonly errors: Array<unknown>
  readonly tokens: Set<string>
}

export const makeRecorder = (): Recorder => ({ ...makeRecording(), errors: [], tokens: new Set() })

export { recording } from "../fixtures/Recording.js"

/** Keeps every bearer token the client sends (the cache's tokens, whatever path they took). */
export const recordTokens =
  (recorded: Recorder) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.tapRequest(client, (request) =>
      Effect.sync(() => {
        const authorization = request.headers["authorization"]
        if (authorization !== undefined) recorded.tokens.add(authorization.replace(/^Bearer\s+/i, ""))
      })
    )

/** Runs `effect`, recording its failure (error value and pretty cause); returns its exit. */
export const call = <A, R>(recorded: Recorder, effect: Effect.Effect<A, IamportError.IamportError, R>) =>
  effect.pipe(
    Effect.tapError((e) => Effect.sync(() => recorded.errors.push(e))),
    Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
    Effect.exit
  )

/** The failure of an exit that must have failed with a typed error. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
  assert.isTrue(failure !== undefined && failure._tag === "Some", `expected a typed failure, got ${String(exit)}`)
  return (failure as { value: E }).value
}

/** The value of an exit that must have succeeded. */
export const valueOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  return assert.fail(`expected a success, got ${Cause.pretty(exit.cause)}`)
}

/**
 * Asserts that neither the API secret nor any token the client sent appears
 * in anything recorded: log lines, causes, span names and attributes, and every
 * captured error's `String`, `JSON.stringify`, `message` and stack.
 */
export const assertHygiene = (recorded: Recorder, extraTokens: Iterable<string> = []) => {
  const tokens = new Set([...recorded.tokens, ...extraTokens])
  assert.isAtLeast(tokens.size, 1, "at least one token was seen, so the check can fail")
  const texts = [...recorded.texts]
  for (const error of recorded.errors) {
    texts.push(String(error), JSON.stringify(error), (error as Error).message, String((error as Error).stack))
  }
  for (const span of recorded.spans) {
    texts.push(span.name, JSON.stringify([...span.attributes].map(([k, v]) => [k, String(v)])))
  }
  const everything = texts.join("\n")
  assert.isAbove(recorded.spans.length, 0, "the tracer saw spans")
  assert.notInclude(everything, secret)
  assert.notInclude(everything, secret.slice(0, 16))
  for (const token of tokens) {
    assert.isAtLeast(token.length, 16)
    assert.notInclude(everything, token)
  }
}

export type Services = IamportClient.IamportClient | IamportAuth.IamportAuth | IamportEmulator.IamportEmulator

/** How the client reaches a socket: `IamportClient.layer` on `NodeHttpClient.layerUndici`, or `NodeIamportClient.layer`. */
export type Transport = "platform" | "undici"

export const transports: ReadonlyArray<Transport> = ["platform", "undici"]

/** An undici agent that keeps every bearer token sent through it; closed with the scope. */
const recordingAgent = (recorded: Recorder) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      new Undici.Agent().compose((dispatch) => (options, handler) => {
        const authorization = (options.headers as Record<string, string> | undefined)?.["authorization"]
        if (authorization !== undefined) recorded.tokens.add(authorization.replace(/^Bearer\s+/i, ""))
        return dispatch(options, handler)
      })
    ),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** The real client over `transport` to `baseUrl`, recording the tokens it sends. */
export const clientLayer = (
  transport: Transport,
  recorded: Recorder,
  options: Partial<IamportClient.Options> & { readonly baseUrl: string; readonly apiKey?: string }
): Layer.Layer<IamportClient.IamportClient | IamportAuth.IamportAuth> => {
  const { transformClient, ...rest } = {
    apiKey: IamportEmulator.DEFAULT_API_KEY,
    apiSecret: Redacted.make(secret),
    transformClient: recordTokens(recorded),
    ...options
  }
  return transport === "platform"
    ? IamportClient.layer({ ...rest, transformClient }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    : Layer.unwrapScoped(
        Effect.map(recordingAgent(recorded), (dispatcher) => NodeIamportClient.layer({ ...rest, dispatcher }))
      )
}

/** The real client over `transport`, against the emulator served on a real socket. */
export const socketLayer = (
  recorded: Recorder,
  client: Partial<IamportClient.Options> = {},
  emulator: IamportEmulator.Options = {},
  transport: Transport = "platform"
): Layer.Layer<Services | IamportEmulator.IamportEmulatorServer, unknown> =>
  Layer.unwrapEffect(
    Effect.map(IamportEmulator.IamportEmulatorServer, (server) =>
      clientLayer(transport, recorded, { ...client, baseUrl: client.baseUrl ?? server.url })
    )
  ).pipe(Layer.provideMerge(IamportEmulator.layerWithServer(emulator)))

/** The real client against the in-process emulator (no sockets; `TestClock` drives both). */
export const inProcessLayer = (
  recorded: Recorder,
  client: Partial<IamportClient.Options> = {},
  emulator: IamportEmulator.Options = {}
): Layer.Layer<Services> =>
  IamportTest.layer({ ...emulator, client: { transformClient: recordTokens(recorded), ...client } })
