import { timingSafeEqual } from "node:crypto";
import { findElement, leaves, safeXml } from "../identify/parts/read.js";
import { passwordDigest } from "../probes/auth/onvif.js";

/**
 * The lab's check of a WS-Security UsernameToken (ONVIF, protocols.md §5.2): PasswordDigest =
 * Base64(SHA-1(nonce + created + password)), and `Created` near the device clock, as devices require.
 * The request body is client input: parsed with the strict, DTD-free reader and capped.
 */
export interface WsseCheck {
  username: string;
  password: string;
  nowMs?: number;
  /** how far Created may be from the lab clock (default 5 minutes) */
  maxSkewMs?: number;
}

export function verifyWsse(body: string, c: WsseCheck): boolean {
  if (!c.username || !c.password) return false;
  const tree = safeXml(body.slice(0, 64 * 1024));
  const token = new Map(leaves(tree && findElement(tree, "UsernameToken")));
  const username = token.get("Username");
  const password = token.get("Password");
  const nonce = token.get("Nonce");
  const created = token.get("Created");
  if (!username || !password || !nonce || !created || username !== c.username) return false;
  const at = Date.parse(created);
  if (!Number.isFinite(at) || Math.abs(at - (c.nowMs ?? Date.now())) > (c.maxSkewMs ?? 5 * 60_000))
    return false;
  const expected = Buffer.from(passwordDigest(Buffer.from(nonce, "base64"), created, c.password));
  const got = Buffer.from(password);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
