/** Small numeric helpers. */

/** The `q` quantile (0..1) of the first `n` values, nearest rank. Sorts in place. */
export const quantile = (values: Float64Array, n: number, q: number): number => {
  if (n === 0) return Number.NaN
  const sorted = values.subarray(0, n).sort()
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!
}

/** Rounds to `digits` decimals. */
export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** A growable list of latencies (ms). */
export class Samples {
  private values = new Float64Array(1 << 16)
  length = 0
  push(x: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2)
      bigger.set(this.values)
      this.values = bigger
    }
    this.values[this.length++] = x
  }
  quantile(q: number): number {
    return quantile(this.values, this.length, q)
  }
}

/** Forces a full garbage collection: `--expose-gc`, or the `v8` flag trick. */
export const gc: () => void = await (async () => {
  if (typeof globalThis.gc === "function") return globalThis.gc as () => void
  const v8 = await import("node:v8")
  const vm = await import("node:vm")
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc") as () => void
})()
