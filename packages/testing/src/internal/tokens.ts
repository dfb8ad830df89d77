/**
 * Access-token store following the documented V1 rules (`docs/API-NOTES.md`, "Tokens"):
 * one live token per API key; getToken before expiry returns the same token and
 * `expired_at`, pushed back 5 minutes when asked within the last minute; after
 * expiry a new random 40-hex token.
 *
 * @internal
 */
import * as Crypto from "node:crypto"

export interface TokenRecord {
  readonly token: string
  readonly apiKey: string
  expiredAt: number
}

export type TokenCheck =
  | { readonly _tag: "Valid"; readonly record: TokenRecord }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Unknown" }
  | { readonly _tag: "Expired"; readonly record: TokenRecord }

export interface TokenStore {
  /** Issue or reuse; `issued` tells whether a new token was minted. */
  readonly getToken: (apiKey: string, now: number) => { readonly record: TokenRecord; readonly issued: boolean }
  readonly check: (token: string | undefined, now: number) => TokenCheck
  readonly revokeAll: () => void
}

/** The window (seconds) before expiry in which getToken extends a token. */
export const EXTEND_WINDOW = 60
/** The extension (seconds) granted inside that window. */
export const EXTENSION = 300

export const randomToken = (): string => Crypto.randomBytes(20).toString("hex")

/**
 * How many issued tokens the store remembers (oldest forgotten first), so a long-running emulator does not grow
 * without bound: an older token presented is then unknown, not expired. The live token is always the newest.
 */
export const KNOWN_LIMIT = 1000

export const make = (ttlSeconds: number, knownLimit = KNOWN_LIMIT): TokenStore => {
  const current = new Map<string, TokenRecord>()
  const known = new Map<string, TokenRecord>()
  return {
    getToken: (apiKey, now) => {
      const live = current.get(apiKey)
      if (live !== undefined && now < live.expiredAt) {
        if (live.expiredAt - now <= EXTEND_WINDOW) {
          live.expiredAt += EXTENSION
        }
        return { record: live, issued: false }
      }
      let token = randomToken()
      while (known.has(token)) token = randomToken()
      const record: TokenRecord = { token, apiKey, expiredAt: now + ttlSeconds }
      current.set(apiKey, record)
      known.set(token, record)
      if (known.size > knownLimit) known.delete(known.keys().next().value!)
      return { record, issued: true }
    },
    check: (token, now) => {
      if (token === undefined || token === "") return { _tag: "Missing" }
      const record = known.get(token)
      if (record === undefined) return { _tag: "Unknown" }
      if (now >= record.expiredAt) return { _tag: "Expired", record }
      return { _tag: "Valid", record }
    },
    revokeAll: () => {
      current.clear()
      known.clear()
    }
  }
}
