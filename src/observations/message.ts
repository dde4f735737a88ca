/**
 * An HTTP or RTSP reply as raw bytes (nmap service fingerprints, banners other tools recorded) read back into
 * status, headers and body. Bounded: at most 200 header lines; never throws.
 */
export interface ParsedMessage {
  version: string;
  status: number;
  reason?: string;
  headers: [string, string][];
  body: Buffer;
}

/** Parses an HTTP or RTSP reply (status line, headers, body). Undefined when it is not one. */
export function parseMessage(bytes: Buffer, scheme: "HTTP" | "RTSP"): ParsedMessage | undefined {
  const text = bytes.toString("latin1");
  const sl = new RegExp(`^(${scheme}/\\d\\.\\d) (\\d{3})(?: ([^\\r\\n]{0,200}))?\\r?\\n`).exec(text);
  if (!sl) return undefined;
  const headers: [string, string][] = [];
  let pos = sl[0].length;
  let bodyStart = text.length;
  while (pos < text.length && headers.length < 200) {
    const nl = text.indexOf("\n", pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r$/, "");
    pos = nl < 0 ? text.length : nl + 1;
    if (line === "") {
      bodyStart = pos;
      break;
    }
    const c = line.indexOf(":");
    if (c > 0) headers.push([line.slice(0, c).trim(), line.slice(c + 1).trim()]);
    if (nl < 0) bodyStart = text.length;
  }
  return {
    version: sl[1] as string,
    status: Number(sl[2]),
    reason: sl[3] || undefined,
    headers: headers.map(([k, v]) => [fromLatin1(k), fromLatin1(v)]),
    body: bytes.subarray(Math.min(bodyStart, bytes.length)),
  };
}

/** Header bytes back to text: UTF-8 when they are valid UTF-8, else Latin-1. */
function fromLatin1(s: string): string {
  const b = Buffer.from(s, "latin1");
  const u = b.toString("utf8");
  return u.includes("\uFFFD") ? s : u;
}
