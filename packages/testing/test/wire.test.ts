import { assert, describe, it } from "@effect/vitest"
import * as Routes from "../src/internal/routes.js"
import * as Wire from "../src/internal/wire.js"

const plain = (value: unknown) => JSON.parse(JSON.stringify(value))

describe("internal/wire", () => {
  it("parses PHP-style bracket arrays and nested keys", () => {
    const parsed = Wire.parseUrlEncoded(
      "imp_uid[]=a&imp_uid[]=b&extra[requester]=customer&a[b][]=1&a[b][]=2&x[0]=p&x[1]=q&plain=v%20w&__proto__[z]=1"
    )
    assert.deepStrictEqual(plain(parsed), {
      imp_uid: ["a", "b"],
      extra: { requester: "customer" },
      a: { b: ["1", "2"] },
      x: { 0: "p", 1: "q" },
      plain: "v w"
    })
    assert.deepStrictEqual(Wire.stringList(parsed.x), ["p", "q"])
    assert.deepStrictEqual(Wire.stringList("one"), ["one"])
    assert.isUndefined(({} as any).z)
  })

  it("parses request targets: query, fragment, double and trailing slashes", () => {
    const t = Wire.parseTarget("//payments//a%2Fb/?imp_uid[]=1#frag")
    assert.deepStrictEqual(t.rawSegments, ["payments", "a%2Fb"])
    assert.strictEqual(t.normalizedPath, "/payments/a%2Fb")
    assert.strictEqual(t.rawQuery, "imp_uid[]=1")
    assert.strictEqual(t.rawPath, "//payments//a%2Fb/")
  })

  it("numbers and booleans from JSON or form values", () => {
    assert.strictEqual(Wire.numberParam("1500"), 1500)
    assert.strictEqual(Wire.numberParam(12.5), 12.5)
    assert.isUndefined(Wire.numberParam(""))
    assert.isUndefined(Wire.numberParam(null))
    assert.isNaN(Wire.numberParam("abc"))
    assert.isTrue(Wire.booleanParam("true"))
    assert.isFalse(Wire.booleanParam("0"))
  })
})

describe("internal/routes", () => {
  it("prefers literal segments, decodes each parameter, knows 405 and optional segments", () => {
    const find = Routes.match("GET", ["payments", "find", "balance"])
    assert.deepStrictEqual(find, {
      _tag: "Matched",
      id: "GET /payments/find/{merchant_uid}/{payment_status?}",
      template: "GET /payments/find/{merchant_uid}",
      params: { merchant_uid: "balance" }
    })
    const status = Routes.match("GET", ["payments", "findAll", "m%2F1", "paid"])
    assert.deepStrictEqual(status, {
      _tag: "Matched",
      id: "GET /payments/findAll/{merchant_uid}/{payment_status?}",
      template: "GET /payments/findAll/{merchant_uid}/{payment_status}",
      params: { merchant_uid: "m/1", payment_status: "paid" }
    })
    assert.deepStrictEqual(Routes.match("DELETE", ["payments", "prepare"]), {
      _tag: "MethodNotAllowed",
      // GET matches too: /payments/{imp_uid} with imp_uid = "prepare"
      allowed: ["GET", "POST", "PUT"]
    })
    assert.deepStrictEqual(Routes.match("GET", ["nope"]), { _tag: "NotFound" })
    assert.deepStrictEqual(Routes.match("GET", ["payments", "%E0%A4%A"]), { _tag: "BadEncoding" })
  })
})
