/**
 * The handlers of `certifications`: an SMS one-time password is "sent" (always `OTP`), confirmed, then the
 * certification can be read and deleted.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import { byTier, fail, ok } from "../outcome.js"
import { stringParam } from "../wire.js"
import { digits, type Handlers } from "./common.js"

/** The one-time password `requestOtp` "sends" in the emulator. */
export const OTP = "123456"

interface Certification {
  readonly imp_uid: string
  readonly merchant_uid: string | null
  readonly pg_tid: string
  readonly pg_provider: string
  readonly name: string
  readonly gender: string | null
  readonly birthday: string
  readonly foreigner: boolean
  readonly phone: string
  readonly carrier: string
  readonly certified: boolean
  readonly certified_at: number
  readonly unique_key: string
  readonly unique_in_site: string
  readonly origin: string | null
  readonly foreigner_v2: boolean | null
}

const notFound = fail(404, -1, "인증결과가 존재하지 않습니다.")

export const make = () => {
  const certifications = byTier(() => new Map<string, Certification>())
  return {
    "POST /certifications/otp/request": ({ input, tier }) => {
      const name = stringParam(input.name)
      const phone = stringParam(input.phone)
      const birth = stringParam(input.birth)
      if (name === undefined || phone === undefined || birth === undefined) {
        return fail(400, -1, "name, phone, birth 파라메터가 누락되었습니다.")
      }
      const impUid = `imp_${digits(12)}`
      const century = ["1", "2", "5", "6"].includes(stringParam(input.gender_digit) ?? "1") ? "19" : "20"
      certifications(tier).set(impUid, {
        imp_uid: impUid,
        merchant_uid: stringParam(input.merchant_uid) ?? null,
        pg_tid: `C${digits(15)}`,
        pg_provider: "danal",
        name,
        gender: ["1", "3", "5", "7"].includes(stringParam(input.gender_digit) ?? "") ? "male" : "female",
        birthday: `${century}${birth.slice(0, 2)}-${birth.slice(2, 4)}-${birth.slice(4, 6)}`,
        foreigner: ["5", "6", "7", "8"].includes(stringParam(input.gender_digit) ?? ""),
        phone,
        carrier: stringParam(input.carrier) ?? "SKT",
        certified: false,
        certified_at: 0,
        unique_key: Crypto.createHash("sha512").update(`${name}${birth}`).digest("base64").slice(0, 88),
        unique_in_site: Crypto.createHash("sha256").update(`${name}${birth}`).digest("base64").slice(0, 64),
        origin: null,
        foreigner_v2: null
      })
      return ok({ imp_uid: impUid })
    },
    "POST /certifications/otp/confirm/{imp_uid}": ({ input, now, params, tier }) => {
      const c = certifications(tier).get(params.imp_uid!)
      if (c === undefined) return notFound
      if (stringParam(input.otp) !== OTP) return fail(400, -1, "인증번호가 일치하지 않습니다.")
      const certified = { ...c, certified: true, certified_at: Math.max(now, 1) }
      certifications(tier).set(c.imp_uid, certified)
      return ok(certified)
    },
    "GET /certifications/{imp_uid}": ({ params, tier }) => {
      const c = certifications(tier).get(params.imp_uid!)
      return c === undefined ? notFound : ok(c)
    },
    "DELETE /certifications/{imp_uid}": ({ params, tier }) => {
      const c = certifications(tier).get(params.imp_uid!)
      if (c === undefined) return notFound
      certifications(tier).delete(c.imp_uid)
      return ok(c)
    }
  } satisfies Handlers
}
