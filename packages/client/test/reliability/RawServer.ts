/**
 * A bare `node:http` server on a real port, for faults the emulator cannot
 * make (a connection cut in the middle of a body, a wrong content type).
 * `POST /users/getToken` answers one fixed token; other requests are answered
 * from `answers` in order (the last repeats) and counted.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export type RawAnswer =
  | { readonly _tag: "Body"; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly _tag: "CutMidBody"; readonly declaredLength: number; readonly sent: string }

export const token = "raw0server0token0aaaaaaaaaaaaaaaaaaaaaaaa"

export interface RawServer {
  readonly url: string
  /** API requests seen (getToken excluded). */
  readonly apiRequests: () => number
  readonly tokenRequests: () => number
}

/** Starts the server for the current scope. */
export const make = (answers: ReadonlyArray<RawAnswer>) =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; state: RawServer }>((resume) => {
      let api = 0
      let tokens = 0
      const server = Http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          if (req.url === "/users/getToken") {
            tokens++
            const now = Math.floor(Date.now() / 1000)
            res.writeHead(200, { "content-type": "application/json" })
            res.end(
              JSON.stringify({ code: 0, message: null, response: { access_token: token, now, expired_at: now + 1800 } })
            )
            return
          }
          const answer = answers[Math.min(api, answers.length - 1)]!
          api++
          if (answer._tag === "Body") {
            res.writeHead(answer.status, { "content-type": answer.contentType })
            res.end(answer.body)
            return
          }
          res.writeHead(200, { "content-type": "application/json", "content-length": String(answer.declaredLength) })
          res.write(answer.sent, () => setTimeout(() => res.socket?.destroy(), 20))
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            server,
            state: { url: `http://127.0.0.1:${port}`, apiRequests: () => api, tokenRequests: () => tokens }
          })
        )
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
