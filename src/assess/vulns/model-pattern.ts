/**
 * Model-family patterns of knowledge/vulnerabilities.yaml, matched against a model normalised by normalizeModel()
 * (upper case; Dahua's DH-/DHI- prefix stripped). The reference's series names use "x" for one character
 * ("DS-2CD2xx2F-I"), so the patterns keep that spelling:
 *   x   (lower case) one letter or digit: DS-2CD2xx2FWD* matches DS-2CD2142FWD-I
 *   @   one to four letters: Dahua's housing code, which the reference writes "HX" (IPC-HX3XXX = IPC-HFW3xxx,
 *       IPC-HDW3xxx, IPC-HDBW3xxx ...): IPC-H@3xxx* matches IPC-HFW3241E-AS but not IPC-HFW2339S
 *   *   any run of characters, possibly none (suffix variants: -I, -IS, -IW, -ZS ...)
 * Every other character is literal and compared without regard to case; the pattern must cover the whole model.
 * Letters other than the wildcard x are written in upper case, so a literal X (ASI7213X) is never a wildcard.
 */
import { MAX_MODEL_PATTERN } from "./limits.js";

const ALLOWED = /^[A-Z0-9x@*./()+_ -]+$/;

/** Why a pattern is not valid, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > MAX_MODEL_PATTERN)
    return `1 to ${MAX_MODEL_PATTERN} characters`;
  if (!ALLOWED.test(pattern))
    return "only upper-case letters, digits, . / ( ) + _ - space and the wildcards x @ *";
  if ((pattern.match(/\*/g) ?? []).length > 2) return "at most two *";
  if (!/[A-Z0-9]/.test(pattern)) return "needs at least one literal letter or digit";
  return undefined;
}

/** Compiles a valid pattern to an anchored, case-insensitive regex with bounded quantifiers. */
export function compilePattern(pattern: string): RegExp {
  const problem = patternProblem(pattern);
  if (problem) throw new Error(`model pattern ${JSON.stringify(pattern)}: ${problem}`);
  let src = "";
  for (const ch of pattern) {
    if (ch === "x") src += "[0-9A-Z]";
    else if (ch === "@") src += "[A-Z]{1,4}";
    else if (ch === "*") src += ".{0,64}";
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, "i");
}

const compiled = new Map<string, RegExp>();

/** Does a normalised model match the pattern? (compiled patterns are cached) */
export function modelMatches(pattern: string, model: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = compilePattern(pattern);
    compiled.set(pattern, re);
  }
  return re.test(model);
}
