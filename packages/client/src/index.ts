/**
 * Effect-native client for the i'mport (PortOne V1) REST API.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as IamportAuth from "./IamportAuth.js"

/** @since 0.1.0 */
export * as IamportClient from "./IamportClient.js"

/** @since 0.1.0 */
export * as IamportError from "./IamportError.js"

/** @since 0.2.0 */
export * as IamportTransport from "./IamportTransport.js"

/** @since 0.1.0 */
export * as Payment from "./Payment.js"

/** @since 0.1.0 */
export * as Payments from "./Payments.js"

/** @since 0.1.0 */
export * as Verification from "./Verification.js"

/** @since 0.1.0 */
export * as Webhook from "./Webhook.js"

/** @since 0.2.0 */
export * as Operation from "./Operation.js"

/** @since 0.2.0 */
export * as Benepia from "./Benepia.js"

/** @since 0.2.0 */
export * as BillingKeys from "./BillingKeys.js"

/** @since 0.2.0 */
export * as Certifications from "./Certifications.js"

/** @since 0.2.0 */
export * as Codes from "./Codes.js"

/** @since 0.2.0 */
export * as Cvs from "./Cvs.js"

/** @since 0.2.0 */
export * as Escrows from "./Escrows.js"

/** @since 0.2.0 */
export * as KcpQuick from "./KcpQuick.js"

/** @since 0.2.0 */
export * as NaverPay from "./NaverPay.js"

/** @since 0.2.0 */
export * as Partners from "./Partners.js"

/** @since 0.2.0 */
export * as Payco from "./Payco.js"

/** @since 0.2.0 */
export * as Paymentwall from "./Paymentwall.js"

/** @since 0.2.0 */
export * as Receipts from "./Receipts.js"

/** @since 0.2.0 */
export * as Subscribe from "./Subscribe.js"

/** @since 0.2.0 */
export * as Tiers from "./Tiers.js"

/** @since 0.2.0 */
export * as Users from "./Users.js"

/** @since 0.2.0 */
export * as Vbanks from "./Vbanks.js"

/** @since 0.2.0 */
export * as BankCode from "./BankCode.js"

/** @since 0.2.0 */
export * as CardCode from "./CardCode.js"

/** @since 0.2.0 */
export * as WriteJournal from "./WriteJournal.js"
