/**
 * Runs the i'mport V1 emulator over HTTP.
 *
 *   pnpm emulator --port 4010 [--host 127.0.0.1] [--key K] [--secret S] [--token-ttl SECONDS]
 *
 * Prints `listening on http://127.0.0.1:4010` once it accepts requests (with
 * `--port 0`, the port actually bound).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { IamportEmulator } from "../src/index.js"

const USAGE = "usage: pnpm emulator [--port N] [--host H] [--key K] [--secret S] [--token-ttl SECONDS] [--tier CODE]..."

interface Args {
  port: number
  host: string
  key?: string
  secret?: string
  tokenTtlSeconds?: number
  tiers: Array<string>
}

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

const parseArgs = (argv: ReadonlyArray<string>): Args => {
  const args: Args = { port: 4010, host: "127.0.0.1", tiers: [] }
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!
    if (raw === "--") continue
    if (raw === "--help" || raw === "-h") {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    }
    const eq = raw.indexOf("=")
    const flag = eq === -1 ? raw : raw.slice(0, eq)
    const value = (): string => {
      if (eq !== -1) return raw.slice(eq + 1)
      const next = argv[++i]
      return next === undefined ? fail(`missing value for ${flag}`) : next
    }
    switch (flag) {
      case "--port": {
        const v = value()
        const port = Number(v)
        if (!/^\d+$/.test(v) || port > 65535) fail(`invalid port: ${v}`)
        args.port = port
        break
      }
      case "--host":
        args.host = value()
        break
      case "--key":
        args.key = value()
        break
      case "--secret":
        args.secret = value()
        break
      case "--token-ttl": {
        const v = value()
        const ttl = Number(v)
        if (!/^\d+$/.test(v) || ttl < 1) fail(`invalid token ttl (seconds): ${v}`)
        args.tokenTtlSeconds = ttl
        break
      }
      case "--tier":
        args.tiers.push(value())
        break
      default:
        fail(`unknown argument: ${raw}`)
    }
  }
  return args
}

const args = parseArgs(process.argv.slice(2))

const program = Effect.gen(function* () {
  const { url } = yield* IamportEmulator.IamportEmulatorServer
  yield* Console.log(`listening on ${url}`)
  return yield* Effect.never
})

NodeRuntime.runMain(
  program.pipe(
    Effect.provide(
      IamportEmulator.layerWithServer({
        port: args.port,
        host: args.host,
        tiers: args.tiers,
        ...(args.key !== undefined ? { apiKey: args.key } : {}),
        ...(args.secret !== undefined ? { apiSecret: args.secret } : {}),
        ...(args.tokenTtlSeconds !== undefined ? { tokenTtl: `${args.tokenTtlSeconds} seconds` as const } : {})
      }).pipe(Layer.orDie)
    )
  )
)
