import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../../shared/errors.js";

/**
 * Streaming text input for the import formats: a file read in 64 KiB chunks, never whole, decoded as UTF-8 or (with
 * its byte-order mark, as PowerShell 5 redirection and the DHCP console's "Unicode" export write) UTF-16LE.
 */

/** Longest line kept; a longer one is reported, not buffered (every format's row is far shorter). */
export const MAX_LINE = 64 * 1024;

export interface Line {
  /** 1-based */
  n: number;
  text: string;
  /** true when the line was longer than MAX_LINE: `text` is only its start */
  tooLong?: boolean;
}

/** The message of an unreadable file, named by the file (ENOENT, EISDIR, EACCES). */
export function unreadable(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException)?.code;
  return new InputError(`cannot read (${code ?? (e as Error)?.message ?? String(e)})`, file);
}

/** Opens the file to fail early with the file's name (a stream reports a missing file only once read). */
export async function checkReadable(file: string): Promise<void> {
  try {
    const fh = await open(file, "r");
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(file, e);
  }
}

/** The file's text, chunk by chunk, decoded by its byte-order mark (UTF-16LE or UTF-8; the mark is dropped). */
export async function* textChunks(file: string, signal?: AbortSignal): AsyncGenerator<string> {
  await checkReadable(file);
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let decoder: StringDecoder | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      let buf = chunk;
      if (!decoder) {
        if (buf[0] === 0xff && buf[1] === 0xfe) {
          decoder = new StringDecoder("utf16le");
          buf = buf.subarray(2);
        } else {
          decoder = new StringDecoder("utf8");
          if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        }
      }
      const s = decoder.write(buf);
      if (s) yield s;
    }
    const rest = decoder?.end();
    if (rest) yield rest;
  } catch (e) {
    if (signal?.aborted) throw e;
    throw unreadable(file, e);
  } finally {
    stream.destroy();
  }
}

/** The file's lines (CR stripped), in bounded memory: a line over MAX_LINE is cut and marked, not held whole. */
export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<Line> {
  let n = 0;
  let carry = "";
  let skipping = false;
  for await (const chunk of textChunks(file, signal)) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) {
        if (!skipping) {
          carry += chunk.slice(start);
          if (carry.length > MAX_LINE) {
            n++;
            yield { n, text: carry.slice(0, MAX_LINE), tooLong: true };
            carry = "";
            skipping = true;
          }
        }
        break;
      }
      if (skipping) skipping = false;
      else {
        const text = (carry + chunk.slice(start, nl)).replace(/\r$/, "");
        carry = "";
        n++;
        if (text.length > MAX_LINE) yield { n, text: text.slice(0, MAX_LINE), tooLong: true };
        else yield { n, text };
      }
      start = nl + 1;
    }
  }
  if (carry && !skipping) yield { n: n + 1, text: carry.replace(/\r$/, "") };
}
