/**
 * Scenario 7, decoding: microseconds per decode of the sample `Payment` (the fixed server's answer, already
 * `JSON.parse`d) by the client's compiled fast path (`internal/fastDecode.ts`, from the client's build output,
 * as the throughput clients run it) and by `Schema.decodeUnknownEither` (the same schema, the same options),
 * in one process; `JSON.parse` of the whole answer for scale. Each figure is the best of 5 rounds.
 */
import type * as ClientPackage from "@effect-iamport/client"
import type * as FastDecode from "../../../packages/client/src/internal/fastDecode.js"
import * as Schema from "effect/Schema"

export interface DecodeResult {
  readonly fastMicros: number
  readonly schemaMicros: number
  readonly jsonParseMicros: number
  /** `schemaMicros / fastMicros`. */
  readonly speedup: number
}

const dist = (module: string) => new URL(`../../../packages/client/dist/esm/${module}.js`, import.meta.url).href

const ROUNDS = 5

/** The best of `ROUNDS` rounds of `iterations / ROUNDS` calls, in microseconds per call. */
const best = (iterations: number, f: () => unknown): number => {
  for (let i = 0; i < iterations / 10; i++) f()
  let micros = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const n = Math.ceil(iterations / ROUNDS)
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) f()
    micros = Math.min(micros, Number(process.hrtime.bigint() - start) / n / 1000)
  }
  return micros
}

export const run = async (payment: unknown, iterations: number): Promise<DecodeResult> => {
  const { Payment }: typeof ClientPackage = await import(dist("index"))
  const { Fail, fastDecoder }: typeof FastDecode = await import(dist("internal/fastDecode"))
  const fast = fastDecoder(Payment.Payment)
  const schema = Schema.decodeUnknownEither(Payment.Payment)
  if (fast(payment) === Fail) throw new Error("the fast path refused the sample payment")
  const body = JSON.stringify({ code: 0, message: null, response: payment })
  const fastMicros = best(iterations, () => fast(payment))
  const schemaMicros = best(iterations / 10, () => schema(payment, { onExcessProperty: "ignore" }))
  const jsonParseMicros = best(iterations, () => JSON.parse(body))
  return { fastMicros, schemaMicros, jsonParseMicros, speedup: schemaMicros / fastMicros }
}
