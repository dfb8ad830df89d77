/**
 * One lock per key (a payment's `imp_uid`): effects under the same key run one
 * after another, effects under different keys run freely. A key's lock exists
 * only while someone holds or awaits it, so the map never grows with traffic.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

/** Runs effects one at a time per key. */
export interface KeyedLock {
  readonly withLock: (key: string) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Keys currently held or awaited (for tests). */
  readonly size: () => number
}

export const make = (): KeyedLock => {
  const locks = new Map<string, { readonly semaphore: Effect.Semaphore; users: number }>()
  return {
    withLock: (key) => (self) =>
      Effect.suspend(() => {
        let entry = locks.get(key)
        if (entry === undefined) {
          entry = { semaphore: Effect.unsafeMakeSemaphore(1), users: 0 }
          locks.set(key, entry)
        }
        const held = entry
        held.users++
        return held.semaphore
          .withPermits(1)(self)
          .pipe(
            Effect.ensuring(
              Effect.sync(() => {
                if (--held.users === 0) locks.delete(key)
              })
            )
          )
      }),
    size: () => locks.size
  }
}

/**
 * One `KeyedLock` per owner (a client instance). Owners never wait on each other: on Cloudflare Workers,
 * where a client layer is built per request, one request never waits on a lock another request holds (the
 * runtime cancels a request whose promise another request's context settles).
 */
export const perOwner = (): ((owner: object) => KeyedLock) => {
  const locks = new WeakMap<object, KeyedLock>()
  return (owner) => {
    let lock = locks.get(owner)
    if (lock === undefined) {
      lock = make()
      locks.set(owner, lock)
    }
    return lock
  }
}
