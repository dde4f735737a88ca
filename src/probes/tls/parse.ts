import type { X509Certificate } from "node:crypto";

/** A distinguished name on one line, RDNs in the order the certificate has them ("CN=..,OU=..,C=.."). */
export function oneLineDn(multiline: string): string {
  // Node prints one RDN per line with RFC 2253 escaping, so commas inside values are already escaped.
  return multiline
    .split("\n")
    .filter((l) => l !== "")
    .join(",");
}

export function certSummary(c: X509Certificate) {
  const subject = oneLineDn(c.subject);
  const issuer = oneLineDn(c.issuer);
  let selfSigned = false;
  try {
    selfSigned = subject === issuer && c.verify(c.publicKey);
  } catch {
    selfSigned = false; // unsupported key type etc.: do not claim it
  }
  return {
    subject,
    issuer,
    ...(c.subjectAltName ? { subjectAltName: c.subjectAltName } : {}),
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprint256: c.fingerprint256,
    selfSigned,
  };
}
