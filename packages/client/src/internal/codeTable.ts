/**
 * A table of i'mport's standard codes (banks, card companies): the codes as a `Schema.Literal`, their names,
 * and the open schema the models use.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** One code with its Korean and English names. */
export interface Entry<C extends string> {
  readonly code: C
  readonly ko: string
  readonly en: string
}

/** The parts of a code table module, from its entries. */
export const make = <const C extends readonly [string, ...Array<string>]>(
  codes: C,
  entries: { readonly [K in C[number]]: { readonly ko: string; readonly en: string } },
  description: string
) => {
  const table: ReadonlyArray<Entry<C[number]>> = codes.map((code: C[number]) => ({ code, ...entries[code] }))
  const byCode = new Map<string, Entry<C[number]>>(table.map((entry) => [entry.code, entry]))
  return {
    literal: Schema.Literal(...codes).annotations({ description }),
    // A string at run time (any code decodes, and decoding costs nothing more than a string's); the known codes
    // in its type.
    open: Schema.make<C[number] | (string & {}), string, never>(
      Schema.String.annotations({ description: `${description}; codes unknown to this client decode as they are` }).ast
    ),
    table,
    lookup: (code: string): Option.Option<Entry<C[number]>> => Option.fromNullable(byCode.get(code)),
    isKnown: (code: string): code is C[number] => byCode.has(code)
  }
}
