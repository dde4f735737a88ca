import type { MessageResponseT } from "../../observations/observation.js";

/**
 * Keeps secrets out of observations. The password never goes on the wire (Digest and PasswordDigest only send
 * hashes), but a device may echo what it received, or list its own stored passwords (an NVR's channel list names
 * the cameras' accounts): every recorded reply passes through here.
 */

export const REDACTED = "[redacted]";

/** Every occurrence of a secret (the password, a response hash, a nonce we made) replaced. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** `<password>…</password>` (any namespace prefix, any case) emptied: a device's stored passwords are not evidence. */
export function redactPasswordElements(xml: string): string {
  return xml.replace(
    /(<(?:[\w.-]+:)?password\b[^>]*>)[^<]*(<\/(?:[\w.-]+:)?password\s*>)/gi,
    `$1${REDACTED}$2`,
  );
}

export function scrubResponse(r: MessageResponseT, secrets: readonly string[]): MessageResponseT {
  const body =
    r.bodyEncoding === "base64"
      ? r.body // binary: not text we can search; nothing we send is binary either
      : redactPasswordElements(scrubText(r.body, secrets));
  return {
    ...r,
    headers: r.headers.map(([k, v]) => [k, scrubText(v, secrets)] as [string, string]),
    body,
  };
}
