import { Payments } from "@effect-iamport/client"
import * as NodeIamportClient from "@effect-iamport/client/NodeIamportClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"

// IMP_KEY, IMP_SECRET (redacted), optional IAMPORT_BASE_URL and IAMPORT_TIER
const Iamport = NodeIamportClient.layerConfig()

const refundIfForged = (impUid: string, expectedAmount: number) =>
  Effect.gen(function* () {
    const payment = yield* Payments.getPayment(impUid)
    if (payment.status === "paid" && payment.amount !== expectedAmount) {
      yield* Payments.cancel({ imp_uid: impUid, reason: "amount mismatch", checksum: payment.cancellableAmount })
      return "forged: cancelled"
    }
    return payment.status
  }).pipe(
    Effect.catchTag("IamportNotFoundError", () => Effect.succeed("no such payment")),
    Effect.catchTag("IamportApiError", (e) => Effect.succeed(`i'mport said ${e.code}: ${e.apiMessage}`))
  )

refundIfForged("imp_123456789012", 50_000).pipe(Effect.tap(Console.log), Effect.provide(Iamport), NodeRuntime.runMain)
