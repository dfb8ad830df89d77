// CommonJS consumer: require() the packed packages; emulator + real client layer wired by hand.
const { IamportClient, Payments } = require("@effect-iamport/client")
const { IamportEmulator } = require("@effect-iamport/testing")
const { Effect, Layer, Redacted } = require("effect")
const assert = require("node:assert/strict")

for (const name of ["@effect-iamport/client", "@effect-iamport/testing"]) {
  const resolved = require.resolve(name)
  assert.match(resolved, /\/dist\/cjs\/index\.js$/, `${name} resolved to ${resolved}`)
}
assert.throws(() => require("@effect-iamport/client/internal/path"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })

const Iamport = IamportClient.layer({
  apiKey: IamportEmulator.DEFAULT_API_KEY,
  apiSecret: Redacted.make(IamportEmulator.DEFAULT_API_SECRET),
  baseUrl: "http://iamport.emulator"
}).pipe(Layer.provideMerge(IamportEmulator.layerWithHttpClient({ payments: [{ imp_uid: "imp_cjs", amount: 1_234 }] })))

Payments.getPayment("imp_cjs")
  .pipe(
    Effect.map((payment) => payment.amount),
    Effect.provide(Iamport),
    Effect.runPromise
  )
  .then(
    (amount) => {
      assert.equal(amount, 1_234)
      console.log(`cjs: Payments.getPayment(imp_cjs).amount = ${amount}`)
    },
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
