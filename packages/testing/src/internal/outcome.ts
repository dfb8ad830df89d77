/**
 * What a handler answers, before it becomes HTTP: the status and the `{code, message, response}` envelope.
 * Handlers are plain functions returning outcomes; the app turns them into responses.
 *
 * @internal
 */
import * as Wire from "./wire.js"

export interface Outcome {
  readonly status: number
  readonly code: number
  readonly message: string | null
  readonly response: unknown
}

/** Success: code 0, no message. */
export const ok = (response: unknown, status = 200): Outcome => ({ status, code: 0, message: null, response })

/** Failure: an error envelope with no response. */
export const fail = (status: number, code: number, message: string): Outcome => ({
  status,
  code,
  message,
  response: null
})

/** The HTTP answer for an outcome. */
export const toResponse = (outcome: Outcome) =>
  Wire.jsonResponse(outcome.status, { code: outcome.code, message: outcome.message, response: outcome.response })

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
