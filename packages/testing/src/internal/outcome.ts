/**
 * What a handler answers, before it becomes HTTP: the status and the `{code, message, response}` envelope.
 * Handlers are plain functions returning outcomes; the app turns them into responses.
 *
 * @internal
 */
import type { Reply } from "./exchange.js"
import * as Wire from "./wire.js"

export interface Outcome {
  readonly status: number
  readonly code: number
  readonly message: string | null
  readonly response: unknown
  /** The envelope's JSON, when already known. */
  readonly json?: string | undefined
}

/** Success: code 0, no message. */
export const ok = (response: unknown, status = 200): Outcome => ({ status, code: 0, message: null, response })

/** The envelopes of frozen responses, made once per response. */
const envelopes = new WeakMap<object, string>()

/**
 * Success with a response frozen with everything in it (a stored payment), so its envelope's JSON is made once.
 * A value that is not frozen is encoded each time.
 */
export const okFrozen = (response: object): Outcome => {
  if (!Object.isFrozen(response)) return ok(response)
  let json = envelopes.get(response)
  if (json === undefined) {
    json = envelopeJson(ok(response))
    envelopes.set(response, json)
  }
  return { status: 200, code: 0, message: null, response, json }
}

/** `{code, message, response}` as JSON. */
const envelopeJson = (outcome: Outcome) =>
  JSON.stringify({ code: outcome.code, message: outcome.message, response: outcome.response })

/** Failure: an error envelope with no response. */
export const fail = (status: number, code: number, message: string): Outcome => ({
  status,
  code,
  message,
  response: null
})

/** The HTTP answer for an outcome. */
export const toResponse = (outcome: Outcome): Reply =>
  Wire.jsonText(outcome.status, outcome.json ?? envelopeJson(outcome))

/** State kept apart per sub-merchant tier (the `Tier` header; none is its own scope). */
export interface ByTier<S> {
  /** That tier's state, made on first use. */
  (tier: string | undefined): S
  /** Every tier's state made so far, with its tier. */
  readonly all: () => ReadonlyArray<readonly [tier: string | undefined, state: S]>
}

export const byTier = <S>(init: () => S): ByTier<S> => {
  const scopes = new Map<string, S>()
  const get = (tier: string | undefined): S => {
    const key = tier ?? ""
    let scope = scopes.get(key)
    if (scope === undefined) {
      scope = init()
      scopes.set(key, scope)
    }
    return scope
  }
  return Object.assign(get, {
    all: () => Array.from(scopes, ([key, scope]) => [key === "" ? undefined : key, scope] as const)
  })
}
