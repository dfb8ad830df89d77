import * as Either from "effect/Either"

/**
 * Fills a path template such as `/payments/{imp_uid}/balance`, encoding each
 * value as exactly one path segment: `/`, `?`, `#`, `%` and every other
 * reserved character are percent-encoded, so an id can never reach another
 * route. Values that no URL can carry as a segment (empty, `.` and `..`,
 * which URL parsers resolve as dot segments) are refused.
 *
 * @internal
 */
export const fillPath = (
  template: string,
  params: Readonly<Record<string, string>> | undefined
): Either.Either<string, { readonly argument: string; readonly issue: string }> => {
  const parts = templateParts(template)
  let path = parts[0]!
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!
    const value = params?.[name]
    if (typeof value !== "string") return Either.left({ argument: name, issue: "missing" })
    const issue = segmentIssue(value)
    if (issue !== undefined) return Either.left({ argument: name, issue })
    path += encodeSegment(value) + parts[i + 1]!
  }
  return Either.right(path)
}

const templates = new Map<string, ReadonlyArray<string>>()

/** A template split once into literal text and parameter names, alternating: `["/payments/", "imp_uid", ""]`. */
const templateParts = (template: string): ReadonlyArray<string> => {
  let parts = templates.get(template)
  if (parts === undefined) {
    parts = template.split(/\{([^}]+)\}/)
    if (templates.size < 1000) templates.set(template, parts)
  }
  return parts
}

const segmentIssue = (value: string): string | undefined => {
  if (value.length === 0) return "must not be empty"
  if (value === "." || value === "..") return `"${value}" cannot be sent as a path segment`
  if (value.length > 1024) return "longer than 1024 characters"
  if (!isWellFormed(value)) return "not well-formed Unicode"
  return undefined
}

const isWellFormed = (value: string): boolean => {
  try {
    encodeURIComponent(value)
    return true
  } catch {
    return false
  }
}

/** `encodeURIComponent` leaves `!'()*` alone; they are legal in a segment, but encode them too for strict servers. */
const encodeSegment = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
