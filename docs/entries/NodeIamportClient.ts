/**
 * The client for Node, on undici directly: the same pipeline, token cache, errors and operations as
 * `IamportClient.layer`, each attempt one undici request (see `layer`).
 *
 * @module @effect-iamport/client/NodeIamportClient
 */
export * from "../../packages/client/src/NodeIamportClient.js"
