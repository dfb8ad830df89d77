/**
 * The token cache's hot path without an Effect: for a cache made by `IamportAuth.make`, the token its `token`
 * would hand out at once (a warm hit that starts no refresh), read on the caller's clock, or `undefined` when
 * `token` has more to do. The pipeline uses it on every call; anything else goes through `token`.
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import type { AccessToken, Service } from "../IamportAuth.js"

export const warmTokens = new WeakMap<Service, (clock: Clock.Clock) => AccessToken | undefined>()
