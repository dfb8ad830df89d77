/**
 * Child processes: the fixed-answer server (plain Node) and TypeScript workers
 * (run through `tsx`, with `--expose-gc`), talking to the parent over IPC.
 */
import { fork, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** Waits for the next IPC message of a child, or fails if it exits first. */
export const nextMessage = <A>(child: ChildProcess): Promise<A> =>
  new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before answering`))
    child.once("exit", onExit)
    child.once("message", (message) => {
      child.off("exit", onExit)
      resolve(message as A)
    })
  })

/** A running fixed-answer server; `stop` ends its process. */
export interface FixedServer {
  readonly url: string
  readonly stop: () => void
}

/** Starts `fixedServer.mjs` in its own process, answering every payment lookup with `payment`. */
export const startFixedServer = async (payment: unknown): Promise<FixedServer> => {
  const child = fork(here("./fixedServer.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  child.send({ payment })
  const { port } = await nextMessage<{ port: number }>(child)
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() }
}

/** Runs a TypeScript worker module in a fresh Node process with `input`, and returns its one answer. */
export const runWorker = async <I, O>(file: string, input: I): Promise<O> => {
  const child = fork(here(file), [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  child.send(input as object)
  try {
    return await nextMessage<O>(child)
  } finally {
    child.kill()
  }
}
