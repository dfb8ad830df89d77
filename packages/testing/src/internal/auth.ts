/**
 * Who may call the API: `POST /users/getToken` (credentials for a token), and the checks before any other
 * route (a known `Tier` header, then a valid token).
 *
 * @internal
 */
import type { Incoming, Reply } from "./exchange.js"
import type { State } from "./state.js"
import * as Wire from "./wire.js"

export const MSG = {
  missingCredentials: "imp_key, imp_secret 파라메터가 누락되었습니다.",
  badCredentials: "imp_key, imp_secret 인증에 실패하였습니다.",
  unknownTier: "유효하지 않은 하위 상점(Tier) 코드입니다."
} as const

/** The 401 for a missing, unknown or expired token. */
export const unauthorized = (state: State) => Wire.failure(401, -1, state.options.unauthorizedMessage)

/** Extracts the token: `Authorization: Bearer t`, `Authorization: t`, then `X-ImpTokenHeader: t`. */
export const presentedToken = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const authorization = headers["authorization"]?.trim()
  if (authorization !== undefined && authorization !== "") {
    const bearer = /^bearer\s+(.*)$/i.exec(authorization)
    return bearer !== null ? bearer[1]!.trim() : authorization
  }
  const legacy = headers["x-imptokenheader"]?.trim()
  return legacy === undefined || legacy === "" ? undefined : legacy
}

/** `POST /users/getToken` at emulator time `now`: a new token, or the live one (extended near its expiry). */
export const getToken = (state: State, params: Wire.Params, now: number): Reply => {
  const { counters, options, tokens } = state
  const key = Wire.stringParam(params.imp_key)
  const secret = Wire.stringParam(params.imp_secret)
  if (key === undefined || secret === undefined) return Wire.failure(400, -1, MSG.missingCredentials)
  if (key !== options.apiKey || secret !== options.apiSecret) {
    return Wire.failure(401, -1, MSG.badCredentials)
  }
  const { issued, record } = tokens.getToken(key, now)
  if (issued) counters.tokenIssued()
  return Wire.ok({ access_token: record.token, now, expired_at: record.expiredAt })
}

export type Authorization =
  | { readonly _tag: "Authorized"; readonly tier: string | undefined }
  | { readonly _tag: "Refused"; readonly response: Reply }

/** Checks the `Tier` header (a listed tier, or none) and then the token, at emulator time `now`. */
export const authorize = (state: State, headers: Incoming["headers"], now: number): Authorization => {
  const tierHeader = headers["tier"]?.trim()
  const tier = tierHeader === undefined || tierHeader === "" ? undefined : tierHeader
  if (tier !== undefined && !state.options.tiers.has(tier)) {
    return { _tag: "Refused", response: Wire.failure(401, -1, MSG.unknownTier) }
  }
  const check = state.tokens.check(presentedToken(headers), now)
  if (check._tag !== "Valid") {
    if (check._tag === "Expired") state.counters.expiredPresented()
    return { _tag: "Refused", response: unauthorized(state) }
  }
  return { _tag: "Authorized", tier }
}
