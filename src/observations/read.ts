import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { InputError } from "../shared/errors.js";
import { ObservationSchema, type Observation } from "./observation.js";
import { detectNmapFormat, parseNmapObservations } from "./nmap/index.js";

/** Reads stdin when file is "-". */
export async function readObservationsFile(file: string): Promise<Observation[]> {
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message.replace(/^[A-Z]+: /, "")}`, file);
  }
  return parseObservations(text, file === "-" ? "<stdin>" : file);
}

/**
 * Accepts one JSON object, a JSON array, or JSON Lines, and nmap output (XML, or normal output).
 * Unknown fields are ignored; a bad line or field is named and nothing is returned (all or nothing).
 */
export function parseObservations(raw: string, name: string): Observation[] {
  // Files saved on Windows often start with a byte-order mark; it is not part of the first line.
  const text = raw.replace(/^\uFEFF/, "");
  const trimmed = text.trim();
  if (!trimmed) return [];
  const nmap = detectNmapFormat(trimmed);
  if (nmap) return parseNmapObservations(text, name, nmap);
  if (trimmed.startsWith("<")) {
    throw new InputError(
      "XML that is not nmap output (no <nmaprun> root); expected observations or nmap output",
      name,
      1,
    );
  }
  if (trimmed.startsWith("[")) {
    const arr = parseJson(trimmed, name, text);
    if (!Array.isArray(arr)) throw new InputError("expected a JSON array of observations", name);
    return arr.map((o, i) => validate(o, name, undefined, `item ${i}`));
  }
  // A single (possibly pretty-printed) object first; otherwise JSON Lines.
  if (!trimmed.includes("\n")) return [validate(parseJson(trimmed, name, text), name, 1)];
  try {
    const one: unknown = JSON.parse(trimmed);
    if (one && typeof one === "object" && !Array.isArray(one)) return [validate(one, name)];
  } catch {
    // not one document: read it as JSON Lines below
  }
  const out: Observation[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError(`not valid JSON (${(e as Error).message})`, name, i + 1);
    }
    out.push(validate(value, name, i + 1));
  });
  return out;
}

function parseJson(s: string, name: string, original: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? original.slice(0, Number(m[1])).split("\n").length : undefined;
    throw new InputError(`not valid JSON (${(e as Error).message})`, name, line);
  }
}

function validate(value: unknown, name: string, line?: number, where?: string): Observation {
  const r = ObservationSchema.safeParse(value);
  if (r.success) return r.data;
  throw new InputError(
    `${where ? `${where}: ` : ""}invalid observation: ${describeIssues(r.error)}`,
    name,
    line,
  );
}

export function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
