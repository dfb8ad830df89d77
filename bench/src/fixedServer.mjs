// A minimal fixed-answer i'mport stand-in for the throughput scenario, run in its own process
// (`child_process.fork`) so that its CPU is not in the client's figures. Plain Node, no dependencies.
//
// Protocol: the parent sends `{ payment }` (the JSON of one payment); the server answers
// `POST /users/getToken` with a 30-minute token and `GET /payments/{any}` with that payment (401 without
// the token), then sends `{ port }` back. It exits when the parent disconnects.
import * as Http from "node:http"

const TOKEN = "0123456789abcdef0123456789abcdef01234567"
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" }

const send = (res, status, body) => {
  res.writeHead(status, { ...JSON_HEADERS, "content-length": body.length })
  res.end(body)
}

process.once("message", ({ payment }) => {
  const paymentBody = Buffer.from(JSON.stringify({ code: 0, message: null, response: payment }))
  const unauthorized = Buffer.from(JSON.stringify({ code: -1, message: "Unauthorized", response: null }))
  const notFound = Buffer.from(JSON.stringify({ code: -1, message: "Not Found", response: null }))

  const server = Http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/users/getToken") {
      req.resume()
      req.on("end", () => {
        const now = Math.floor(Date.now() / 1000)
        const envelope = { code: 0, message: null, response: { access_token: TOKEN, now, expired_at: now + 1800 } }
        send(res, 200, Buffer.from(JSON.stringify(envelope)))
      })
      return
    }
    req.resume()
    if (req.method === "GET" && req.url.startsWith("/payments/")) {
      const authorization = req.headers.authorization ?? ""
      send(res, authorization.endsWith(TOKEN) ? 200 : 401, authorization.endsWith(TOKEN) ? paymentBody : unauthorized)
      return
    }
    send(res, 404, notFound)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }))
})

process.on("disconnect", () => process.exit(0))
