/**
 * Runs the i'mport V1 emulator over HTTP: `iamport-emulator` once installed (`pnpm emulator` in this repository).
 *
 *   iamport-emulator --port 4010 [--host 127.0.0.1] [--key K] [--secret S] [--token-ttl SECONDS] [--tier CODE]...
 *     [--webhook-url URL] [--webhook-format json|form] [--webhook-resend] [--webhook-resend-interval SECONDS]
 *
 * `IAMPORT_EMULATOR_KEY` / `IAMPORT_EMULATOR_SECRET` give the key and secret without a flag (package managers
 * echo the command line). Prints `listening on http://127.0.0.1:4010` once it accepts requests (with
 * `--port 0`, the port actually bound).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { IamportEmulator } from "../src/index.js"

const USAGE = `usage: iamport-emulator [--port N] [--host H] [--key K] [--secret S] [--token-ttl SECONDS] [--tier CODE]...
                        [--webhook-url URL] [--webhook-format json|form] [--webhook-resend]
                        [--webhook-resend-interval SECONDS]
environment: IAMPORT_EMULATOR_KEY, IAMPORT_EMULATOR_SECRET (the key and secret; a flag wins)
admin routes under /__emulator/ (clock, payments, faults, webhooks, ...): see the package README`

interface Args {
  port: number
  host: string
  key?: string
  secret?: string
  tokenTtlSeconds?: number
  tiers: Array<string>
  webhookUrl?: string
  webhookFormat?: "json" | "form"
  webhookResend: boolean
  webhookResendIntervalSeconds?: number
}

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

/** A whole number of seconds, at least `min`. */
const seconds = (flag: string, v: string, min: number): number => {
  const n = Number(v)
  return /^\d+$/.test(v) && n >= min ? n : fail(`invalid ${flag} (seconds): ${v}`)
}

const parseArgs = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args => {
  const args: Args = { port: 4010, host: "127.0.0.1", tiers: [], webhookResend: false }
  if (env.IAMPORT_EMULATOR_KEY) args.key = env.IAMPORT_EMULATOR_KEY
  if (env.IAMPORT_EMULATOR_SECRET) args.secret = env.IAMPORT_EMULATOR_SECRET
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
      case "--token-ttl":
        args.tokenTtlSeconds = seconds("token ttl", value(), 1)
        break
      case "--tier":
        args.tiers.push(value())
        break
      case "--webhook-url": {
        const v = value()
        if (!URL.canParse(v)) fail(`invalid webhook url: ${v}`)
        args.webhookUrl = v
        break
      }
      case "--webhook-format": {
        const v = value()
        if (v !== "json" && v !== "form") fail(`invalid webhook format (json or form): ${v}`)
        args.webhookFormat = v as "json" | "form"
        break
      }
      case "--webhook-resend":
        args.webhookResend = true
        break
      case "--webhook-resend-interval":
        args.webhookResendIntervalSeconds = seconds("webhook resend interval", value(), 1)
        break
      default:
        fail(`unknown argument: ${raw}`)
    }
  }
  return args
}

const args = parseArgs(process.argv.slice(2), process.env)

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
        ...(args.tokenTtlSeconds !== undefined ? { tokenTtl: `${args.tokenTtlSeconds} seconds` as const } : {}),
        webhookUrl: args.webhookUrl,
        webhookFormat: args.webhookFormat,
        webhookResend: args.webhookResend,
        ...(args.webhookResendIntervalSeconds !== undefined
          ? { webhookResendInterval: `${args.webhookResendIntervalSeconds} seconds` as const }
          : {})
      }).pipe(Layer.orDie)
    )
  )
)
