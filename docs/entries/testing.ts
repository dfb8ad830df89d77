/**
 * An emulator of the i'mport (PortOne V1) REST API, and one-line test layers.
 *
 * @module @effect-iamport/testing
 */
export * from "../../packages/testing/src/index.js"
