/**
 * @since 0.2.0
 */
export * as SqlDeliveryStore from "./SqlDeliveryStore.js"

/**
 * @since 0.2.0
 */
export * as SqlTokenStore from "./SqlTokenStore.js"

/**
 * @since 0.2.0
 */
export * as SqlWriteJournal from "./SqlWriteJournal.js"
