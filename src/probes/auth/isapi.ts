import type { Credential } from "../../credentials/index.js";
import { findElement, leaves, safeXml } from "../../identify/parts/read.js";
import { headers as headerValues, type MessageResponseT } from "../../observations/observation.js";
import { httpRequest, type HttpOptions, type HttpTarget } from "../http/probe.js";
import type { Hop } from "../http/parse.js";
import { errorText, type ObservationPart } from "../observe.js";
import { digestAuthorizationParts, offered, parseChallenges, pickDigest } from "./digest.js";
import { scrubResponse, scrubText } from "./scrub.js";

export const DEVICE_INFO_PATH = "/ISAPI/System/deviceInfo";

/** What one Digest-protected GET came to. */
export interface DigestOutcome {
  /** the observation to record (the authenticated reply, or why none was sent) */
  part: ObservationPart;
  /** true when the device refused our credentials: no further authenticated request to this device */
  rejected: boolean;
  /** the authenticated reply (scrubbed), when one came */
  response?: MessageResponseT;
}

/**
 * GET `path` with HTTP Digest: one unauthenticated request for a fresh challenge (nonces expire; the one the scan
 * saw may be stale), then ONE authenticated request. Never a second authenticated try: a 401 then means "wrong
 * credentials" and the caller stops, so a bad password costs the device's lockout counter one attempt per scan.
 */
export async function digestGet(
  target: HttpTarget,
  hop: Hop,
  cred: Credential,
  io: HttpOptions,
): Promise<DigestOutcome> {
  const base = { method: "GET", path: hop.path, scheme: hop.scheme };
  const authed = { ...base, auth: "digest" };
  const secrets = [cred.password];
  const fail = (e: unknown, request: Record<string, unknown>): DigestOutcome => {
    if (io.signal?.aborted) throw e;
    return {
      part: { protocol: "http", port: hop.port, request, error: scrubText(errorText(e), secrets) },
      rejected: false,
    };
  };

  let challenge: MessageResponseT;
  try {
    challenge = await httpRequest(target, hop, { method: "GET" }, io);
  } catch (e) {
    return fail(e, base);
  }
  // Answered without credentials (or not there at all): that reply is the observation; nothing to authenticate.
  if (challenge.status !== 401)
    return {
      part: { protocol: "http", port: hop.port, request: base, response: scrubResponse(challenge, secrets) },
      rejected: false,
    };
  const all = parseChallenges(headerValues(challenge, "www-authenticate"));
  const digest = pickDigest(all);
  if (!digest)
    return {
      part: {
        protocol: "http",
        port: hop.port,
        request: base,
        response: scrubResponse(challenge, secrets),
        // Basic would send the password in clear; other schemes are not implemented.
        error: `no authenticated request sent: no supported Digest challenge (offered: ${offered(all)})`,
      },
      rejected: false,
    };

  const { header, secrets: derived } = digestAuthorizationParts({
    method: "GET",
    uri: hop.path,
    realm: digest.realm,
    nonce: digest.nonce,
    username: cred.username,
    password: cred.password,
    qop: digest.qop ?? null,
    algorithm: digest.algorithm,
    algorithmNamed: digest.algorithmNamed,
    ...(digest.opaque !== undefined ? { opaque: digest.opaque } : {}),
  });
  secrets.push(...derived);
  let response: MessageResponseT;
  try {
    response = await httpRequest(target, hop, { method: "GET", headers: { Authorization: header } }, io);
  } catch (e) {
    return fail(e, authed);
  }
  const clean = scrubResponse(response, secrets);
  return {
    part: { protocol: "http", port: hop.port, request: authed, response: clean },
    rejected: response.status === 401,
    response: clean,
  };
}

/** A deviceInfo document that names a recorder (deviceType DVR/NVR, or the recorders' "Embedded Net DVR", §2.6). */
export function deviceInfoNamesRecorder(body: string): boolean {
  const tree = safeXml(body);
  const fields = new Map(leaves(tree && findElement(tree, "DeviceInfo")));
  return (
    /[NDHX]VR$/i.test(fields.get("deviceType")?.trim() ?? "") ||
    /^Embedded Net DVR$/i.test(fields.get("deviceName")?.trim() ?? "")
  );
}
