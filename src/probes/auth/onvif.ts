import { createHash, randomBytes } from "node:crypto";
import type { Credential } from "../../credentials/index.js";
import { findElement, leaves, safeXml } from "../../identify/parts/read.js";
import type { MessageResponseT } from "../../observations/observation.js";
import { httpRequest, type HttpOptions, type HttpTarget } from "../http/probe.js";
import type { Hop } from "../http/parse.js";
import { errorText, type ObservationPart } from "../observe.js";
import { DEVICE_NS, envelope, GET_SYSTEM_DATE_AND_TIME, SOAP_CONTENT_TYPE } from "../onvif/soap.js";
import { scrubResponse, scrubText } from "./scrub.js";

/**
 * ONVIF GetDeviceInformation (protocols.md §5.2): READ_SYSTEM, so it needs credentials, sent as a WS-Security
 * UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)) (OASIS UsernameToken Profile 1.0;
 * the worked example of the ONVIF Application Programmer's Guide is in the tests). The token fails when `Created`
 * is far from the device's clock (§5.2), so the device's clock is read first with GetSystemDateAndTime, which needs
 * no authentication: a skewed clock must not cost a login attempt.
 */

export const ONVIF_DEVICE_PATH = "/onvif/device_service";
const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const PASSWORD_DIGEST =
  "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const BASE64_BINARY =
  "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/** Base64(SHA-1(nonce bytes + created + password)). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash("sha1")
    .update(Buffer.concat([nonce, Buffer.from(created, "utf8"), Buffer.from(password, "utf8")]))
    .digest("base64");
}

/** xsd:dateTime in UTC without fractions ("2010-09-16T07:50:45Z"), the form devices accept. */
export const wsseTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The Security header, and the values in it that derive from the password or must not be recorded. */
export function usernameToken(
  username: string,
  password: string,
  createdMs: number,
  nonce: Buffer = randomBytes(16),
): { header: string; secrets: string[] } {
  const created = wsseTime(createdMs);
  const digest = passwordDigest(nonce, created, password);
  const header =
    `<Security s:mustUnderstand="1" xmlns="${WSSE}"><UsernameToken>` +
    `<Username>${esc(username)}</Username>` +
    `<Password Type="${PASSWORD_DIGEST}">${digest}</Password>` +
    `<Nonce EncodingType="${BASE64_BINARY}">${nonce.toString("base64")}</Nonce>` +
    `<Created xmlns="${WSU}">${created}</Created>` +
    `</UsernameToken></Security>`;
  return { header, secrets: [digest, nonce.toString("base64")] };
}

export const GET_DEVICE_INFORMATION = `<GetDeviceInformation xmlns="${DEVICE_NS}"/>`;

/** Device clock minus ours, in ms, from a GetSystemDateAndTime reply; undefined when it says nothing usable. */
export function clockOffset(body: string, nowMs: number): number | undefined {
  const tree = safeXml(body);
  const utc = tree && findElement(tree, "UTCDateTime");
  if (!utc || typeof utc !== "object") return undefined;
  const u = utc as Record<string, unknown>;
  const d = new Map(leaves(u.Date));
  const t = new Map(leaves(u.Time));
  const n = (m: Map<string, string>, k: string) =>
    /^\d{1,4}$/.test(m.get(k) ?? "") ? Number(m.get(k)) : NaN;
  const ms = Date.UTC(
    n(d, "Year"),
    n(d, "Month") - 1,
    n(d, "Day"),
    n(t, "Hour"),
    n(t, "Minute"),
    n(t, "Second"),
  );
  // A device that never had its clock set (1970, §1.3 BootTime) is still a clock: Created must match it.
  return Number.isFinite(ms) ? ms - nowMs : undefined;
}

/** A refusal of our credentials: HTTP 401, or a SOAP fault that says so (ter:NotAuthorized, wsse:FailedAuthentication). */
export function refusesCredentials(r: MessageResponseT): boolean {
  if (r.status === 401) return true;
  return (
    r.status >= 400 &&
    /NotAuthorized|FailedAuthentication|InvalidSecurity|Sender not Authori[sz]ed/i.test(
      r.body.slice(0, 65536),
    )
  );
}

export interface OnvifOutcome {
  part: ObservationPart;
  rejected: boolean;
}

/**
 * POST GetSystemDateAndTime (no credentials; its reply is not recorded), then ONE GetDeviceInformation with a
 * UsernameToken. The reply becomes an `onvif-devinfo` observation, which identification reads as onvif.* parts.
 */
export async function onvifDeviceInformation(
  target: HttpTarget,
  hop: Hop,
  cred: Credential,
  io: HttpOptions,
  now: () => number = Date.now,
): Promise<OnvifOutcome> {
  const request = { method: "POST", path: hop.path, scheme: hop.scheme, auth: "wsse" };
  const soap = (body: string, extra: Record<string, string> = {}) =>
    httpRequest(
      target,
      hop,
      { method: "POST", body, headers: { "Content-Type": SOAP_CONTENT_TYPE, ...extra } },
      io,
    );
  let offset = 0;
  try {
    const clock = await soap(GET_SYSTEM_DATE_AND_TIME);
    if (clock.status === 200) offset = clockOffset(clock.body, now()) ?? 0;
  } catch (e) {
    // No answer to a request without credentials: do not send one with them.
    if (io.signal?.aborted) throw e;
    return {
      part: { protocol: "onvif-devinfo", port: hop.port, request, error: errorText(e) },
      rejected: false,
    };
  }
  const token = usernameToken(cred.username, cred.password, now() + offset);
  const secrets = [cred.password, ...token.secrets];
  let r: MessageResponseT;
  try {
    r = await soap(envelope(GET_DEVICE_INFORMATION, token.header));
  } catch (e) {
    if (io.signal?.aborted) throw e;
    return {
      part: { protocol: "onvif-devinfo", port: hop.port, request, error: scrubText(errorText(e), secrets) },
      rejected: false,
    };
  }
  return {
    part: { protocol: "onvif-devinfo", port: hop.port, request, response: scrubResponse(r, secrets) },
    rejected: refusesCredentials(r),
  };
}
