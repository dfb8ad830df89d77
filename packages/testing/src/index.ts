/**
 * @since 0.1.0
 */
export * as IamportEmulator from "./IamportEmulator.js"

/**
 * @since 0.1.0
 */
export * as IamportTest from "./IamportTest.js"
