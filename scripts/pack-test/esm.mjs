// ES module consumer: the in-process emulator from the packed @effect-iamport/testing, the packed client.
import { Payments } from "@effect-iamport/client"
import { IamportTest } from "@effect-iamport/testing"
import { Effect } from "effect"
import * as assert from "node:assert/strict"

for (const name of ["@effect-iamport/client", "@effect-iamport/testing"]) {
  const resolved = import.meta.resolve(name)
  assert.match(resolved, /\/dist\/esm\/index\.js$/, `${name} resolved to ${resolved}`)
}
await assert.rejects(import("@effect-iamport/client/internal/path"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })

const amount = await Payments.getPayment("imp_000000000001").pipe(
  Effect.map((payment) => payment.amount),
  Effect.provide(IamportTest.layer({ payments: [{ imp_uid: "imp_000000000001", amount: 50_000 }] })),
  Effect.runPromise
)
assert.equal(amount, 50_000)
console.log(`esm: Payments.getPayment(imp_000000000001).amount = ${amount}`)
