/**
 * The literal text every match of an anchored pattern must start with ("^Hikvision-Webs" -> "Hikvision-Webs"),
 * so the engine can skip a rule with one `startsWith` instead of running its regex. Conservative: any construct
 * it does not understand ends the prefix, and a pattern with a top-level alternative, the m or the u flag has none.
 */
const META = new Set([..."^$.|?*+()[]{}"]);
const ESCAPED_LITERAL = new Set([..."^$.|?*+()[]{}/\\-: \"'=<>,;!@#%&~`"]);

function topLevelAlternative(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

export function literalPrefix(source: string, flags = ""): string | undefined {
  // Under the u flag, case folding maps some non-ASCII letters to ASCII ones (ſ to s); a lower-cased compare would differ.
  if (!source.startsWith("^") || /[mu]/.test(flags) || topLevelAlternative(source)) return undefined;
  let out = "";
  let i = 1;
  while (i < source.length) {
    const c = source[i] as string;
    let lit: string | undefined;
    let next = i + 1;
    if (c === "\\") {
      const e = source[i + 1];
      if (e !== undefined && ESCAPED_LITERAL.has(e)) {
        lit = e;
        next = i + 2;
      }
    } else if (!META.has(c)) lit = c;
    if (lit === undefined) break;
    // A quantifier after this character makes it optional or repeatable: the prefix ends before it.
    const q = source[next];
    if (q === "?" || q === "*" || q === "{") break;
    out += lit;
    i = next;
  }
  if (!out) return undefined;
  return flags.includes("i") ? out.toLowerCase() : out;
}
