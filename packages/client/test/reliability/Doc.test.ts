/**
 * `RELIABILITY.md` must hold the fault matrix of `rows.ts`, row for row, so
 * the doc cannot drift from the tests. Run with `UPDATE_RELIABILITY=1` to
 * rewrite the table in place instead of checking it (never under CI, which
 * checks the committed file).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { renderTable, rows } from "./rows.js"

const docPath = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../../RELIABILITY.md")
const BEGIN = "<!-- fault-matrix:begin (generated from packages/client/test/reliability/rows.ts) -->"
const END = "<!-- fault-matrix:end -->"

const ci = (process.env["CI"] ?? "") !== "" && !["false", "0"].includes(process.env["CI"]!)
const update = process.env["UPDATE_RELIABILITY"] === "1" && !ci

/** Table rows as trimmed cells, so formatting (column padding) does not matter. */
const cells = (table: string) =>
  table
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("|") && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim())
    )

/** The document and where its table lies (from the end of the begin marker to the end marker). */
const readDoc = () => {
  const doc = Fs.readFileSync(docPath, "utf8")
  const start = doc.indexOf(BEGIN)
  const end = doc.indexOf(END)
  assert.isAbove(start, -1, "begin marker")
  assert.isAbove(end, start, "end marker")
  return { doc, from: start + BEGIN.length, end }
}

describe("RELIABILITY.md", () => {
  it.runIf(ci)("is checked, never rewritten, under CI", () => {
    assert.isUndefined(process.env["UPDATE_RELIABILITY"], "UPDATE_RELIABILITY is set under CI")
  })

  it.runIf(update)("UPDATE_RELIABILITY=1: the fault matrix is rewritten from rows.ts", () => {
    const { doc, end, from } = readDoc()
    Fs.writeFileSync(docPath, `${doc.slice(0, from)}\n\n${renderTable()}\n\n${doc.slice(end)}`)
  })

  it.skipIf(update)("contains the fault matrix exactly as rows.ts defines it", () => {
    const { doc, end, from } = readDoc()
    const documented = cells(doc.slice(from, end))
    const expected = cells(renderTable())
    assert.strictEqual(expected.length, rows.length + 1)
    assert.deepStrictEqual(documented, expected)
    for (const row of rows) {
      assert.isTrue(
        documented.some((r) => r[0] === `\`${row.id}\`` && r[3] === row.expected),
        `${row.id} with its expected outcome`
      )
    }
  })
})
