/**
 * Bun: `IamportClient.layerConfig()` over `FetchHttpClient` (from the `@effect/platform` barrel), configured
 * from the environment (`IMP_KEY`, `IMP_SECRET`, `IAMPORT_BASE_URL`).
 *
 *   bun bun.js '<target JSON>'
 */
import { IamportClient } from "@effect-iamport/client"
import { FetchHttpClient } from "@effect/platform"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { print, run, type Target } from "./smoke.js"

const target = JSON.parse(process.argv[2]!) as Target

const IamportLive = IamportClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

run("bun", target, IamportLive)
  .pipe(Effect.runPromise)
  .then(print, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
