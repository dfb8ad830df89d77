/**
 * Scenario 6, the in-process emulator's speed: what users' test suites run on. Calls/s of `getPayment`
 * through `IamportTest.layer()` (the client on `IamportEmulator.transport`, the emulator's in-memory
 * transport: no sockets, no HTTP objects) against the same client (`IamportTest.clientLayer`, i.e.
 * `IamportClient.layer`) on `NodeHttpClient.layerUndici` over loopback HTTP to the CLI emulator
 * (`packages/testing/bin/emulator.ts`, what `pnpm emulator` runs, in its own process). Also
 * `NodeIamportClient.layer` (the client's fastest transport) against the same CLI emulator, a stricter
 * baseline (`ratioToNodeClient`). Each: `fibers` fibers in one `runPromise`, a warm-up, then `seconds` of calls.
 */
import { type IamportClient, Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import { IamportTest } from "@effect-iamport/testing"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { IMP_UID } from "../emulator.js"

export interface EmulatorSpeedResult {
  readonly fibers: number
  readonly seconds: number
  /** Calls/s through `IamportTest.layer()`, no sockets. */
  readonly inProcessCallsPerSecond: number
  /** Calls/s of the same client over loopback HTTP to the CLI emulator. */
  readonly loopbackCallsPerSecond: number
  /** Calls/s of `NodeIamportClient.layer` over loopback HTTP to the CLI emulator (reference). */
  readonly loopbackNodeClientCallsPerSecond: number
  /** `inProcessCallsPerSecond / loopbackCallsPerSecond`. */
  readonly ratio: number
  /** `inProcessCallsPerSecond / loopbackNodeClientCallsPerSecond`. */
  readonly ratioToNodeClient: number
}

const KEY = "bench_key"
const SECRET = "bench_secret"

/** Calls/s of `getPayment` in `fibers` fibers for `seconds`, after `warmupSeconds`. */
const callsPerSecond = async <E>(
  layer: Layer.Layer<IamportClient.IamportClient, E>,
  fibers: number,
  seconds: number,
  warmupSeconds: number
): Promise<number> => {
  const runtime = ManagedRuntime.make(layer)
  const loops = (deadline: number) => {
    let calls = 0
    const fiber = Effect.whileLoop({
      while: () => performance.now() < deadline,
      body: () => Payments.getPayment(IMP_UID),
      step: () => {
        calls++
      }
    })
    return Effect.forEach(Array.from({ length: fibers }), () => fiber, { concurrency: fibers, discard: true }).pipe(
      Effect.map(() => calls)
    )
  }
  try {
    await runtime.runPromise(loops(performance.now() + warmupSeconds * 1000))
    const start = performance.now()
    const calls = await runtime.runPromise(loops(start + seconds * 1000))
    return (calls / (performance.now() - start)) * 1000
  } finally {
    await runtime.dispose()
  }
}

/** The CLI emulator in its own process (through tsx, as `pnpm emulator` runs it), with `IMP_UID` seeded. */
const startCli = async (): Promise<{ readonly url: string; readonly stop: () => void }> => {
  const bin = fileURLToPath(new URL("../../../packages/testing/bin/emulator.ts", import.meta.url))
  const child = spawn(process.execPath, ["--import", "tsx", bin, "--port", "0", "--key", KEY, "--secret", SECRET], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ""
      child.once("exit", (code) => reject(new Error(`CLI emulator exited (${code}) before listening`)))
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const m = /listening on (\S+)/.exec(out)
        if (m !== null) resolve(m[1]!)
      })
    })
    child.removeAllListeners("exit")
    const seeded = await fetch(`${url}/__emulator/payments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ imp_uid: IMP_UID, merchant_uid: "order-1", amount: 50_000 })
    })
    if (!seeded.ok) throw new Error(`seeding the CLI emulator: HTTP ${seeded.status}`)
    return { url, stop: () => child.kill() }
  } catch (error) {
    child.kill()
    throw error
  }
}

export const run = async (fibers: number, seconds: number, warmupSeconds: number): Promise<EmulatorSpeedResult> => {
  const inProcess = await callsPerSecond(
    IamportTest.layer({ payments: [{ imp_uid: IMP_UID, amount: 50_000 }] }),
    fibers,
    seconds,
    warmupSeconds
  )
  const cli = await startCli()
  try {
    const loopback = await callsPerSecond(
      IamportTest.clientLayer({ apiKey: KEY, apiSecret: SECRET, client: { baseUrl: cli.url } }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      ),
      fibers,
      seconds,
      warmupSeconds
    )
    const loopbackNode = await callsPerSecond(
      NodeIamportClient.layer({ apiKey: KEY, apiSecret: Redacted.make(SECRET), baseUrl: cli.url }),
      fibers,
      seconds,
      warmupSeconds
    )
    return {
      fibers,
      seconds,
      inProcessCallsPerSecond: inProcess,
      loopbackCallsPerSecond: loopback,
      loopbackNodeClientCallsPerSecond: loopbackNode,
      ratio: inProcess / loopback,
      ratioToNodeClient: inProcess / loopbackNode
    }
  } finally {
    cli.stop()
  }
}
