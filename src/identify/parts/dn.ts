/**
 * A certificate's subject or issuer in one form, whatever tool printed it, so the TLS rules meet the same text:
 * `C=CN,O=HIKVISION,CN=hikvision.com` (RFC 4514 order kept, short attribute names, no spaces around `=` or after
 * `,`). Read: RFC 4514 (`CN=a, O=b`, escaped `\,` kept), OpenSSL's oneline (`/C=CN/O=b`) and spaced form
 * (`C = CN, O = b`, with or without a `subject=` prefix), and nmap's ssl-cert (`commonName=a/organizationName=b`).
 */
const SHORT: Record<string, string> = {
  commonname: "CN",
  organizationname: "O",
  organizationalunitname: "OU",
  countryname: "C",
  stateorprovincename: "ST",
  localityname: "L",
  emailaddress: "emailAddress",
  serialnumber: "serialNumber",
  streetaddress: "street",
  domaincomponent: "DC",
  cn: "CN",
  o: "O",
  ou: "OU",
  c: "C",
  st: "ST",
  s: "ST",
  l: "L",
  e: "emailAddress",
  dc: "DC",
};
const KEY = String.raw`[A-Za-z][\w.-]{0,40}\s{0,2}=`;
const SLASH_SPLIT = new RegExp(`/(?=${KEY})`);
const COMMA_SPLIT = new RegExp(`(?<!\\\\),\\s{0,8}(?=${KEY})`);

export function canonicalDn(text: string): string {
  let s = text
    .slice(0, 4096)
    .trim()
    .replace(/^(?:subject|issuer)\s{0,2}[=:]\s{0,2}/i, "");
  // Slash-separated: OpenSSL's oneline form starts with "/", nmap's has no leading slash but no commas between keys.
  const slashed = s.startsWith("/") || (!COMMA_SPLIT.test(s) && SLASH_SPLIT.test(s));
  if (s.startsWith("/")) s = s.slice(1);
  const pieces = s.split(slashed ? SLASH_SPLIT : COMMA_SPLIT);
  const out: string[] = [];
  for (const p of pieces.slice(0, 64)) {
    const eq = p.indexOf("=");
    if (eq <= 0) {
      if (out.length) out[out.length - 1] += (slashed ? "/" : ",") + p;
      else out.push(p.trim());
      continue;
    }
    const key = p.slice(0, eq).trim();
    out.push(`${SHORT[key.toLowerCase()] ?? key}=${p.slice(eq + 1).trim()}`);
  }
  return out.join(",");
}
