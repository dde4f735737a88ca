import { decodeBytes } from "../observe.js";

/** 32 zero bytes: junk the Hikvision SDK port (8000) answers with a 16-byte error frame (protocols.md §2.9). */
export const HIK_SDK_PROBE = Buffer.alloc(32);
export const HIK_SDK_MAX_REPLY = 64;
export const BANNER_MAX_BYTES = 4096;

/** Binary SDK replies are always base64 so byte patterns survive. */
export function sdkResponse(buf: Buffer) {
  return { raw: buf.toString("base64"), encoding: "base64" as const };
}

/** Text banners stay readable; binary ones become base64. */
export function bannerResponse(buf: Buffer, truncated: boolean) {
  const { text, encoding } = decodeBytes(buf, truncated);
  return {
    raw: text,
    ...(encoding === "base64" ? { encoding } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}
