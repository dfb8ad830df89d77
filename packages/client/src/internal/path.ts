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
  let failure: { argument: string; issue: string } | undefined
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name]
    if (typeof value !== "string") {
      failure ??= { argument: name, issue: "missing" }
      return ""
    }
    const issue = segmentIssue(value)
    if (issue !== undefined) {
      failure ??= { argument: name, issue }
      return ""
    }
    return encodeSegment(value)
  })
  return failure === undefined ? Either.right(path) : Either.left(failure)
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
