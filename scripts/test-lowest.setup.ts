// Fails the run unless `effect` is the version scripts/test-lowest.mjs asked for (the aliases took hold).
import * as Effect from "effect/Effect"

const wanted = process.env.LOWEST_EFFECT_VERSION
const running = (Effect.void as unknown as Record<symbol, { readonly _V: string }>)[Symbol.for("effect/Effect")]!._V
if (running !== wanted) throw new Error(`effect ${running} is running, ${wanted} was asked for`)
