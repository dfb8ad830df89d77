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

/** @since 0.1.0 */
export * as Payment from "./Payment.js"

/** @since 0.1.0 */
export * as Payments from "./Payments.js"
