/**
 * workerd: the Workers example (`examples/workers/worker.ts`) with one more route, `GET /__smoke?target=...`,
 * which runs the smoke program's checks in one request, through the example's per-request layer. The driver
 * sends the bursts as concurrent requests to the example's own `GET /payments/{imp_uid}`.
 */
import * as Effect from "effect/Effect"
import worker, { runRequest, type Env } from "../../../examples/workers/worker.js"
import { checks, type Target } from "./smoke.js"

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname !== "/__smoke") return worker.fetch(request, env)
    const target = JSON.parse(url.searchParams.get("target")!) as Target
    return runRequest(
      Effect.map(checks(target), (result) => Response.json(result)),
      env
    )
  }
}
