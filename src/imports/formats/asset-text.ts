import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform } from "node:stream";
import { utf16Side } from "../../shared/utf16.js";
import { unreadable } from "./read-lines.js";

/**
 * The text encoding of an asset list exported as CSV. Spreadsheet and CMDB exports come in every encoding: UTF-8
 * with or without a byte-order mark (Excel's "CSV UTF-8" writes one), UTF-16 LE or BE with a mark (Excel's "Unicode
 * text"), and the Windows code page of the machine that saved it (Excel's plain "CSV" on a French or English
 * Windows is Windows-1252). Decided once for the whole file:
 *
 * - a byte-order mark says it (UTF-8, UTF-16LE, UTF-16BE);
 * - no mark, but every other byte of the start NUL: UTF-16 without a mark (the NULs' side gives the byte order);
 * - otherwise the file is checked as UTF-8 in one streaming pass; if any byte sequence is not UTF-8, the whole
 *   file is read as Windows-1252 (a file that mixes both is then wrong only in its UTF-8 rows' accents, and the
 *   report says where the first non-UTF-8 byte was).
 */
export type AssetEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DetectedEncoding {
  encoding: AssetEncoding;
  /** bytes of byte-order mark to skip */
  bom: number;
  /** how it was decided, for the import's report */
  how: string;
}

const HEAD = 4096;

export async function detectEncoding(file: string, signal?: AbortSignal): Promise<DetectedEncoding> {
  let head: Buffer;
  try {
    const fh = await open(file, "r");
    try {
      if ((await fh.stat()).isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
      const buf = Buffer.alloc(HEAD);
      const { bytesRead } = await fh.read(buf, 0, HEAD, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: "utf-8", bom: 3, how: "UTF-8 (byte-order mark)" };
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: "utf-16le", bom: 2, how: "UTF-16LE (byte-order mark)" };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: "utf-16be", bom: 2, how: "UTF-16BE (byte-order mark)" };
  const nul = utf16Side(head);
  if (nul)
    return {
      encoding: nul,
      bom: 0,
      how: `${nul === "utf-16le" ? "UTF-16LE" : "UTF-16BE"} (no byte-order mark: NUL bytes)`,
    };
  const bad = await firstNonUtf8(file, signal);
  if (bad === undefined)
    return { encoding: "utf-8", bom: 0, how: "UTF-8 (no byte-order mark; every byte valid)" };
  return {
    encoding: "windows-1252",
    bom: 0,
    how: `Windows-1252 (not UTF-8: first invalid byte near offset ${bad})`,
  };
}

/** Offset (approximate: the chunk) of the first byte sequence that is not UTF-8, or undefined when all are. */
async function firstNonUtf8(file: string, signal?: AbortSignal): Promise<number | undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let offset = 0;
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        return offset;
      }
      offset += chunk.length;
    }
    try {
      decoder.decode();
    } catch {
      return offset;
    }
    return undefined;
  } catch (e) {
    if (signal?.aborted) throw e;
    throw unreadable(file, e);
  } finally {
    stream.destroy();
  }
}

/** A stream of the file's text in the detected encoding (byte-order mark dropped), decoded chunk by chunk. */
export function decodedText(file: string, enc: DetectedEncoding): NodeJS.ReadableStream {
  // TextDecoder drops a leading mark itself; `start` skips it for the BOM-less decoders too.
  const decoder = new TextDecoder(enc.encoding);
  const source = createReadStream(file, { start: enc.bom, highWaterMark: 64 * 1024 });
  const transform = new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
  source.on("error", (e) => transform.destroy(e));
  return source.pipe(transform);
}
