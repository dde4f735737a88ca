/**
 * The lines of a stream, numbered from 1, without their line ends (\n or \r\n). A line longer than maxBytes is an
 * error instead of unbounded memory: a file is input like any other.
 */
export async function* numberedLines(
  chunks: AsyncIterable<Buffer | string>,
  maxBytes = 64 * 1024 * 1024,
): AsyncGenerator<{ no: number; line: string }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let no = 0;
  const take = (tail: Buffer): string => {
    const all = pending.length ? Buffer.concat([...pending, tail]) : tail;
    pending = [];
    pendingBytes = 0;
    const s = all.toString("utf8");
    return s.endsWith("\r") ? s.slice(0, -1) : s;
  };
  for await (const chunk of chunks) {
    let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      if (pendingBytes + nl > maxBytes) throw new LineTooLong(no + 1, maxBytes);
      yield { no: ++no, line: take(buf.subarray(0, nl)) };
      buf = buf.subarray(nl + 1);
    }
    if (buf.length) {
      pendingBytes += buf.length;
      if (pendingBytes > maxBytes) throw new LineTooLong(no + 1, maxBytes);
      pending.push(Buffer.from(buf)); // a copy: the stream may reuse its chunk
    }
  }
  if (pendingBytes) yield { no: ++no, line: take(Buffer.alloc(0)) };
}

export class LineTooLong extends Error {
  constructor(
    readonly line: number,
    maxBytes: number,
  ) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
  }
}
