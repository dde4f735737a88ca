import { decodeBytes } from "../observe.js";

/** A datagram as recorded: text when UTF-8, base64 otherwise; cut datagrams flagged. */
export function rawResponse(data: Buffer, truncated: boolean) {
  const { text, encoding } = decodeBytes(data, truncated);
  return {
    raw: text,
    ...(encoding === "base64" ? { encoding } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}

/** A binary datagram as recorded: always base64 (DHIP frames, the legacy Dahua struct). */
export function base64Response(data: Buffer, truncated: boolean) {
  return {
    raw: data.toString("base64"),
    encoding: "base64" as const,
    ...(truncated ? { truncated: true } : {}),
  };
}

/** A text protocol's datagram as text, or undefined when it is not valid UTF-8 (binary junk is nobody's reply). */
export function textOf(data: Buffer, truncated: boolean): string | undefined {
  const { text, encoding } = decodeBytes(data, truncated);
  return encoding === "utf8" ? text : undefined;
}
