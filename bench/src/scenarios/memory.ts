/**
 * Scenario 5, memory: up to `calls` lookups through our client and the
 * in-process emulator (`IamportTest.layer()`), 16 fibers at a time, stopping
 * early after `seconds` so that the whole run keeps to its time budget (the
 * result says how many calls were made). Heap used after a full GC, once warm
 * (before) and after the calls.
 */
import { Payments } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { IMP_UID } from "../emulator.js"
import { gc } from "../stats.js"

export interface MemoryResult {
  readonly calls: number
  readonly requestedCalls: number
  readonly heapBeforeMB: number
  readonly heapAfterMB: number
  readonly heapGrowthMB: number
  readonly seconds: number
}

const heapMB = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

/** Up to `calls` lookups in `fibers` fibers, until `deadline` (ms, `performance.now()`); returns the count. */
const lookups = (calls: number, fibers: number, deadline = Number.POSITIVE_INFINITY) => {
  let started = 0
  const fiber = Effect.whileLoop({
    while: () => started < calls && performance.now() < deadline,
    body: () => {
      started++
      return Payments.getPayment(IMP_UID)
    },
    step: () => {}
  })
  return Effect.as(
    Effect.all(
      Array.from({ length: fibers }, () => fiber),
      { concurrency: "unbounded", discard: true }
    ),
    Effect.sync(() => started)
  ).pipe(Effect.flatten)
}

export const run = async (requestedCalls: number, maxSeconds: number): Promise<MemoryResult> => {
  const runtime = ManagedRuntime.make(IamportTest.layer({ payments: [{ imp_uid: IMP_UID, amount: 50_000 }] }))
  try {
    await runtime.runPromise(lookups(2_000, 16))
    const heapBeforeMB = heapMB()
    const start = performance.now()
    const calls = await runtime.runPromise(lookups(requestedCalls, 16, start + maxSeconds * 1000))
    const seconds = (performance.now() - start) / 1000
    const heapAfterMB = heapMB()
    return { calls, requestedCalls, heapBeforeMB, heapAfterMB, heapGrowthMB: heapAfterMB - heapBeforeMB, seconds }
  } finally {
    await runtime.dispose()
  }
}
