/** DHIP discovery port (protocols.md §6.1). */
export const DHIP_PORT = 37810;

export const DHIP_SEARCH_BODY = '{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n';

/**
 * 32-byte DHIP header + JSON (protocols.md §6.1): LE32 0x20, "DHIP", 8 zero bytes (session/request id),
 * LE32 body length, 0, LE32 body length, 0.
 */
export function dhipFrame(body: string = DHIP_SEARCH_BODY): Buffer {
  const json = Buffer.from(body, "utf8");
  const head = Buffer.alloc(32);
  head.writeUInt32LE(0x20, 0);
  head.write("DHIP", 4, "latin1");
  head.writeUInt32LE(json.length, 16);
  head.writeUInt32LE(json.length, 24);
  return Buffer.concat([head, json]);
}

export interface DhipReply {
  /** header[0..7] is 20 00 00 00 "DHIP" */
  framed: boolean;
  /** the JSON text, when framed and the declared length fits */
  json?: string;
}

/** Splits a reply into header and JSON text (checks as UniversalScanner does); lenient about a trailing \n or NUL. */
export function splitDhip(data: Buffer): DhipReply {
  if (data.length < 32 || data.readUInt32LE(0) !== 0x20 || data.toString("latin1", 4, 8) !== "DHIP")
    return { framed: false };
  const len = data.readUInt32LE(16);
  if (32 + len > data.length) return { framed: true };
  return { framed: true, json: data.toString("utf8", 32, 32 + len).replace(/[\s\0]+$/, "") };
}
