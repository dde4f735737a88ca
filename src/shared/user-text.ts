import { UsageError } from "./errors.js";

/**
 * Words a person gives for the record (a medium, a justification, a decision): trimmed, bounded, and free of
 * control characters that would rewrite a terminal or a report line. `lines` admits tab and line feed, for text
 * meant to span lines (a justification).
 */
export function optionalText(
  field: string,
  v: string | null | undefined,
  o: { max: number; lines?: boolean },
): string | null {
  const t = v?.trim() ?? "";
  if (!t) return null;
  const control = o.lines ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /\p{Cc}/u;
  if (t.length > o.max || control.test(t))
    throw new UsageError(`${field}: at most ${o.max} characters, no control characters`);
  return t;
}

export function requiredText(
  field: string,
  v: string | null | undefined,
  o: { max: number; lines?: boolean },
): string {
  const t = optionalText(field, v, o);
  if (t === null) throw new UsageError(`${field}: required`);
  return t;
}
