/**
 * The project's emulator served on a loopback port, driven from promise code:
 * what the token scenarios run against.
 */
import { IamportEmulator } from "@effect-iamport/testing"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type { Target } from "./clients.js"

export const IMP_UID = "imp_000000000001"

export interface RunningEmulator {
  readonly target: Target
  readonly counters: () => Promise<IamportEmulator.Counters>
  readonly setClockOffset: (offset: Duration.DurationInput) => Promise<void>
  readonly close: () => Promise<void>
}

/** A fresh emulator with one seeded payment (`IMP_UID`), over HTTP. */
export const startEmulator = async (options: IamportEmulator.Options = {}): Promise<RunningEmulator> => {
  const runtime = ManagedRuntime.make(
    IamportEmulator.layerWithServer({ ...options, payments: [{ imp_uid: IMP_UID, amount: 50_000 }] })
  )
  const { url } = await runtime.runPromise(IamportEmulator.IamportEmulatorServer)
  const emulator = await runtime.runPromise(IamportEmulator.IamportEmulator)
  return {
    target: { url, apiKey: emulator.apiKey, apiSecret: emulator.apiSecret },
    counters: () => runtime.runPromise(emulator.counters),
    setClockOffset: (offset) => runtime.runPromise(emulator.setClockOffset(offset)),
    close: () => runtime.dispose()
  }
}

/** The seeded payment's JSON, as the API returns it (the fixed server's answer). */
export const samplePayment = (): Promise<IamportEmulator.Payment> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(IamportEmulator.make(), (emulator) =>
        emulator.seedPayment({ imp_uid: IMP_UID, merchant_uid: "order-1", amount: 50_000 })
      )
    )
  )
