import { SaxesParser, type SaxesTagPlain } from "saxes";
import { InputError } from "../../shared/errors.js";
import { CAP, type NmapHost } from "./model.js";
import { asIs, readHost } from "./parse-xml.js";

/**
 * nmap XML (-oX) read as a stream: each `<host>` is handed over as soon as its end tag is read, so a scan of a
 * million hosts is read in the memory of one host. The same readHost as parseNmapXml turns each host's tree into an
 * NmapHost, so both readers extract the same thing.
 *
 * saxes checks well-formedness as it goes and expands nothing but XML's predefined entities and character
 * references: an undeclared entity is an error, and a DOCTYPE with an internal subset is refused outright (nmap
 * writes a bare `<!DOCTYPE nmaprun>`).
 */

export interface StreamedHost {
  /** line of the `<host>` start tag */
  line: number;
  host: NmapHost;
  /** the host's `<status state>` (up, down, unknown), when nmap wrote one */
  status?: string;
}

/** Repeated children that readHost expects as lists (as fast-xml-parser's isArray does for parseNmapXml). */
const LISTS = new Set(["host", "address", "hostname", "port", "script", "cpe", "hostnames"]);
/** Most elements kept of one host (ports x (port, state, service, cpe, script) is far below). */
const MAX_NODES = 1_000_000;
/** Most characters read without a single event: an attribute or text longer than this is damage. */
const MAX_SILENT = 32 * 1024 * 1024;

type Node = Record<string, unknown> & { $: Record<string, string> };

export class NmapXmlStream {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private ready: StreamedHost[] = [];
  private rootSeen = false;
  private runTime: string | undefined;
  private stack: Node[] = [];
  private hostLine = 0;
  private nodes = 0;
  /** depth inside a <script> element, whose children (tables, elems) readHost does not read */
  private skip = 0;
  private lastEvent = 0;
  private failure: { message: string; line: number } | undefined;
  private ended = false;
  /** true once </nmaprun> was read */
  complete = false;

  constructor(private readonly file: string) {
    const p = this.parser;
    p.on("doctype", (d) => {
      this.lastEvent = p.position;
      if (/[[]/.test(d) || /<!ENTITY/i.test(d))
        throw new InputError(
          "XML with a DTD internal subset or entity declarations is refused (entities are never expanded)",
          file,
          p.line,
        );
    });
    p.on("opentag", (t) => this.open(t));
    p.on("closetag", (t) => this.close(t.name));
    p.on("text", (t) => this.text(t));
    p.on("error", (e) => {
      // The first error ends reading: what follows a well-formedness error cannot be trusted.
      if (!this.failure)
        this.failure = { message: e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ""), line: p.line };
    });
  }

  /** Feeds a chunk; returns the hosts it completed. After a failure, nothing more is read. */
  write(chunk: string): StreamedHost[] {
    if (this.failure || this.ended) return this.take();
    this.parser.write(chunk);
    if (this.parser.position - this.lastEvent > MAX_SILENT && !this.failure)
      this.failure = {
        message: `more than ${MAX_SILENT / 1048576} MiB without a tag`,
        line: this.parser.line,
      };
    return this.take();
  }

  /** Ends the input; returns the last hosts. */
  end(): StreamedHost[] {
    if (!this.failure && !this.ended) {
      this.ended = true;
      this.parser.close();
      // Errors found only at the end (unclosed tags) mean the file was cut: `complete` stays false and says so.
      if (!this.complete) this.failure = undefined;
    }
    return this.take();
  }

  /** The line the parser has reached (the last line, after end()). */
  get line(): number {
    return this.parser.line;
  }

  /** Why reading stopped early, if it did: the message and line of the first well-formedness error. */
  get error(): { message: string; line: number } | undefined {
    return this.failure;
  }

  private take(): StreamedHost[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  private open(t: SaxesTagPlain): void {
    this.lastEvent = this.parser.position;
    if (this.failure) return;
    const attrs = t.attributes as Record<string, string>;
    if (!this.rootSeen) {
      this.rootSeen = true;
      if (t.name !== "nmaprun")
        throw new InputError(`XML with a <${t.name.slice(0, 40)}> root: not nmap output`, this.file);
      this.runTime = epoch(attrs.start);
      return;
    }
    if (this.skip) {
      this.skip++;
      return;
    }
    if (!this.stack.length) {
      // Only <host> children of the root are hosts (<hosthint>, <runstats>, <scaninfo> are not).
      if (t.name !== "host" || this.depthOutside !== 0) {
        this.depthOutside++;
        return;
      }
      this.hostLine = this.parser.line;
      this.nodes = 0;
      this.stack.push({ $: attrs });
      return;
    }
    if (++this.nodes > MAX_NODES) {
      // Past the cap the element is read but not kept (a placeholder the matching end tag pops).
      this.stack.push({ $: {} });
      this.skip = 1;
      return;
    }
    const node: Node = { $: attrs };
    const parent = this.stack[this.stack.length - 1] as Node;
    if (LISTS.has(t.name)) ((parent[t.name] ??= []) as Node[]).push(node);
    else if (parent[t.name] === undefined) parent[t.name] = node;
    this.stack.push(node);
    if (t.name === "script") this.skip = 1;
  }

  /** elements open outside any host (nmaprun's other children and theirs) */
  private depthOutside = 0;

  private close(name: string): void {
    this.lastEvent = this.parser.position;
    if (this.failure) return;
    if (this.skip) {
      this.skip--;
      // The script element itself closes when skip drops to 0: pop it.
      if (this.skip === 0) this.stack.pop();
      return;
    }
    if (!this.stack.length) {
      if (this.depthOutside > 0) this.depthOutside--;
      else if (name === "nmaprun") this.complete = true;
      return;
    }
    const node = this.stack.pop() as Node;
    if (!this.stack.length) {
      const status = (node.status as Node | undefined)?.$?.state;
      this.ready.push({
        line: this.hostLine,
        host: readHost(node, this.runTime, asIs),
        ...(status ? { status } : {}),
      });
    }
  }

  private text(t: string): void {
    this.lastEvent = this.parser.position;
    const top = this.stack[this.stack.length - 1];
    // Only <cpe> carries text readHost reads; whitespace between tags is dropped.
    if (!top || this.skip || !t.trim()) return;
    const prev = typeof top["#text"] === "string" ? (top["#text"] as string) : "";
    if (prev.length < CAP.field) top["#text"] = (prev + t).slice(0, CAP.field);
  }
}

function epoch(s: string | undefined): string | undefined {
  if (!s || !/^\d{1,12}$/.test(s)) return undefined;
  const d = new Date(Number(s) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
