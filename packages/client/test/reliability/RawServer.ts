/**
 * A bare `node:http` server on a real port, for faults the emulator cannot
 * make (a connection cut in the middle of a body, a wrong content type, a body
 * that never ends). `POST /users/getToken` answers one fixed token; other
 * requests are answered from `answers` in order (the last repeats) and counted.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export type RawAnswer =
  | { readonly _tag: "Body"; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly _tag: "CutMidBody"; readonly declaredLength: number; readonly sent: string }
  /** `body` sent chunked (no `content-length`), in two writes 20 ms apart, split at byte `splitAt`. */
  | { readonly _tag: "Chunked"; readonly body: string; readonly splitAt: number }
  /** HTTP 200, chunked, 64 KiB chunks as fast as the client takes them, until it goes away or 64 MiB were sent. */
  | { readonly _tag: "Endless" }
  /** HTTP 200 with `content-length: declaredLength`, `sent` written, then nothing until the client goes away. */
  | { readonly _tag: "HoldMidBody"; readonly declaredLength: number; readonly sent: string }

export const token = "raw0server0token0aaaaaaaaaaaaaaaaaaaaaaaa"

/** Where an `Endless` answer stops if the client never goes away. */
export const endlessLimit = 64 * 1024 * 1024

export interface RawServer {
  readonly url: string
  /** API requests seen (getToken excluded). */
  readonly apiRequests: () => number
  readonly tokenRequests: () => number
  /** Bytes of API answer bodies written so far. */
  readonly bodyBytes: () => number
  /** API answers whose connection the client closed before the answer was complete. */
  readonly abandoned: () => number
}

/** Starts the server for the current scope. */
export const make = (answers: ReadonlyArray<RawAnswer>) =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; state: RawServer }>((resume) => {
      let api = 0
      let tokens = 0
      let bodyBytes = 0
      let abandoned = 0
      const write = (res: Http.ServerResponse, data: string | Buffer, done?: () => void): boolean => {
        bodyBytes += Buffer.byteLength(data)
        return res.write(data, done)
      }
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
          res.on("close", () => {
            if (!res.writableFinished) abandoned++
          })
          switch (answer._tag) {
            case "Body":
              res.writeHead(answer.status, { "content-type": answer.contentType })
              bodyBytes += Buffer.byteLength(answer.body)
              res.end(answer.body)
              return
            case "CutMidBody":
              res.writeHead(200, {
                "content-type": "application/json",
                "content-length": String(answer.declaredLength)
              })
              write(res, answer.sent, () => setTimeout(() => res.socket?.destroy(), 20))
              return
            case "HoldMidBody":
              res.writeHead(200, {
                "content-type": "application/json",
                "content-length": String(answer.declaredLength)
              })
              write(res, answer.sent)
              return
            case "Chunked": {
              const bytes = Buffer.from(answer.body)
              res.writeHead(200, { "content-type": "application/json" })
              write(res, bytes.subarray(0, answer.splitAt))
              setTimeout(() => {
                write(res, bytes.subarray(answer.splitAt))
                res.end()
              }, 20)
              return
            }
            case "Endless": {
              res.writeHead(200, { "content-type": "application/json" })
              const chunk = Buffer.alloc(64 * 1024, "x")
              let sent = 0
              const pump = () => {
                while (!res.destroyed && sent < endlessLimit) {
                  sent += chunk.length
                  if (!write(res, chunk)) return void res.once("drain", pump)
                }
                if (!res.destroyed) res.end()
              }
              write(res, '{"code":0,"message":null,"response":"')
              pump()
              return
            }
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            server,
            state: {
              url: `http://127.0.0.1:${port}`,
              apiRequests: () => api,
              tokenRequests: () => tokens,
              bodyBytes: () => bodyBytes,
              abandoned: () => abandoned
            }
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
