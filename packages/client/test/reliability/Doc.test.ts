/**
 * `RELIABILITY.md` must hold the fault matrix of `rows.ts`, row for row, so
 * the doc cannot drift from the tests. Run with `UPDATE_RELIABILITY=1` to
 * rewrite the table in place.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { renderTable, rows } from "./rows.js"

const docPath = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../../RELIABILITY.md")
const BEGIN = "<!-- fault-matrix:begin (generated from packages/client/test/reliability/rows.ts) -->"
const END = "<!-- fault-matrix:end -->"

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

describe("RELIABILITY.md", () => {
  it("contains the fault matrix exactly as rows.ts defines it", () => {
    let doc = Fs.readFileSync(docPath, "utf8")
    const start = doc.indexOf(BEGIN)
    const end = doc.indexOf(END)
    assert.isAbove(start, -1, "begin marker")
    assert.isAbove(end, start, "end marker")
    if (process.env["UPDATE_RELIABILITY"] === "1") {
      doc = `${doc.slice(0, start + BEGIN.length)}\n\n${renderTable()}\n\n${doc.slice(end)}`
      Fs.writeFileSync(docPath, doc)
    }
    const documented = cells(doc.slice(start, doc.indexOf(END)))
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
