/**
 * Deno: `IamportClient.layerConfig()` over `FetchHttpClient`, imported by its own path (the `@effect/platform`
 * barrel also loads a module that reads the environment when it is imported), configured from the environment
 * (`IMP_KEY`, `IMP_SECRET`, `IAMPORT_BASE_URL`...: the list grows with the client's options, hence a plain
 * `--allow-env`). Network access to the API only:
 *
 *   deno run --allow-net=127.0.0.1:PORT --allow-env deno.js '<target JSON>'
 */
import { IamportClient } from "@effect-iamport/client"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { print, run, type Target } from "./smoke.js"

declare const Deno: { readonly args: ReadonlyArray<string>; readonly exit: (code: number) => never }

const target = JSON.parse(Deno.args[0]!) as Target

const IamportLive = IamportClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

run("deno", target, IamportLive)
  .pipe(Effect.runPromise)
  .then(print, (error: unknown) => {
    console.error(error)
    Deno.exit(1)
  })
