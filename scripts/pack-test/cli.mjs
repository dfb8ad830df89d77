// The packed CLI: start `iamport-emulator --port 0`, get a token over real HTTP, look a payment up with the
// packed NodeIamportClient, stop it.
import { spawn } from "node:child_process"
import * as assert from "node:assert/strict"

const child = spawn("node_modules/.bin/iamport-emulator", ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
try {
  const url = await new Promise((resolve, reject) => {
    let out = ""
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 10 s: ${out}`)), 10_000)
    child.stdout.on("data", (chunk) => {
      out += chunk
      const match = /listening on (http:\/\/\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)))
  })
  const { IamportEmulator } = await import("@effect-iamport/testing")
  const response = await fetch(`${url}/users/getToken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ imp_key: IamportEmulator.DEFAULT_API_KEY, imp_secret: IamportEmulator.DEFAULT_API_SECRET })
  })
  const body = await response.json()
  assert.equal(response.status, 200)
  assert.equal(body.code, 0)
  assert.match(body.response.access_token, /^[0-9a-f]{40}$/)
  console.log(`cli: iamport-emulator at ${url} issued a token`)

  // the packed Node transport (its own subpath, on the optional peer @effect/platform-node) against it
  const NodeIamportClient = await import("@effect-iamport/client/NodeIamportClient")
  const { Payments } = await import("@effect-iamport/client")
  const { Effect, Redacted } = await import("effect")
  const layer = NodeIamportClient.layer({
    apiKey: IamportEmulator.DEFAULT_API_KEY,
    apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET),
    baseUrl: url
  })
  const tag = await Payments.getPayment("imp_000000000404").pipe(
    Effect.flip,
    Effect.map((error) => error._tag),
    Effect.provide(layer),
    Effect.runPromise
  )
  assert.equal(tag, "IamportNotFoundError")
  console.log(`cli: NodeIamportClient got ${tag} for an unknown payment`)
} finally {
  child.kill()
}
