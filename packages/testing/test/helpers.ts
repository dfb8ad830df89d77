import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Effect } from "effect"
import { IamportEmulator } from "@effect-iamport/testing"

export const BASE = "https://api.iamport.kr"

export interface Envelope<A = any> {
  readonly code: number
  readonly message: string | null
  readonly response: A
}

export interface Answer<A = any> {
  readonly status: number
  readonly contentType: string | undefined
  readonly body: Envelope<A>
}

export const answer = <A = any>(response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.json, (body): Answer<A> => ({
    status: response.status,
    contentType: response.headers["content-type"],
    body: body as Envelope<A>
  }))

export const send = <A = any>(request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => Effect.flatMap(client.execute(request), answer<A>))

export const credentials = {
  imp_key: IamportEmulator.DEFAULT_API_KEY,
  imp_secret: IamportEmulator.DEFAULT_API_SECRET
}

export interface Token {
  readonly access_token: string
  readonly now: number
  readonly expired_at: number
}

export const getToken = (base = BASE) =>
  send<Token>(HttpClientRequest.post(`${base}/users/getToken`).pipe(HttpClientRequest.bodyUnsafeJson(credentials)))

export const token = (base = BASE) =>
  Effect.map(getToken(base), (a) => {
    if (a.status !== 200) throw new Error(`getToken failed: ${JSON.stringify(a)}`)
    return a.body.response.access_token
  })

/** GET with `Authorization: Bearer <fresh token>`. */
export const authed = (request: HttpClientRequest.HttpClientRequest, base = BASE) =>
  Effect.flatMap(token(base), (t) => send(HttpClientRequest.bearerToken(request, t)))
