/**
 * Effect-native client for the i'mport (PortOne V1) REST API.
 *
 * @module @effect-iamport/client
 */
export * from "../../packages/client/src/index.js"
