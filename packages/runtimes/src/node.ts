/**
 * Node: `NodeIamportClient` (undici directly), configured from the environment (`IMP_KEY`, `IMP_SECRET`,
 * `IAMPORT_BASE_URL`).
 *
 *   node node.js '<target JSON>'
 */
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as Effect from "effect/Effect"
import { print, run, type Target } from "./smoke.js"

const target = JSON.parse(process.argv[2]!) as Target

run("node", target, NodeIamportClient.layerConfig())
  .pipe(Effect.runPromise)
  .then(print, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
