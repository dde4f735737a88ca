/**
 * Device text is hostile: a camera may put terminal escape sequences or newlines in its model or banner.
 * Terminal output shows control characters as visible escapes instead of executing them.
 */
export function forTerminal(s: string | null | undefined, max = 60): string {
  if (s === null || s === undefined) return "";
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === "\t" ? " " : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
