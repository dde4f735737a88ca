import { InputError } from "../../shared/errors.js";
import { dnsFormat, epochTime, type DnsLine, type DnsLineParser } from "./dns-log.js";

/**
 * Zeek's dns.log, in either of Zeek's writers (detected on the first line):
 *
 * - TSV (LogAscii default): `#separator \x09`, `#unset_field -`, `#path dns`, then `#fields ts uid id.orig_h
 *   id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass qclass_name qtype qtype_name rcode ...`; data lines
 *   are split on the separator and read by the #fields names, so any column order or subset works as long as
 *   id.orig_h and query are there;
 * - JSON lines (LogAscii::use_json=T): one object a line with "id.orig_h", "query", "qtype_name" (or nested
 *   {"id": {"orig_h": ...}}, as some shippers rewrite it).
 *
 * Sample: zeek/zeek-docs log-formats.rst (commit 05709b1), the `testmyids.com` dns.log in both forms;
 * src/imports/formats/__fixtures__/dns-zeek.tsv and dns-zeek.jsonl are built on it.
 */
function zeekParser(file: string): DnsLineParser {
  let mode: "tsv" | "json" | undefined;
  let sep = "\t";
  let unset = "-";
  let fields: string[] | undefined;
  let col = { client: -1, query: -1, qtypeName: -1, qtype: -1, ts: -1 };
  let notDns = false;

  const tsv = (text: string, n: number): DnsLine => {
    if (text.startsWith("#")) {
      const sp = text.search(/[\s]/);
      const key = sp < 0 ? text : text.slice(0, sp);
      const rest = sp < 0 ? "" : text.slice(sp + 1);
      if (key === "#separator")
        sep =
          rest.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) ||
          "\t";
      else if (key === "#unset_field") unset = rest.split(sep)[0] ?? rest;
      else if (key === "#path") notDns = (rest.split(sep)[0] ?? rest).trim() !== "dns";
      else if (key === "#fields") {
        fields = rest.split(sep);
        col = {
          client: fields.indexOf("id.orig_h"),
          query: fields.indexOf("query"),
          qtypeName: fields.indexOf("qtype_name"),
          qtype: fields.indexOf("qtype"),
          ts: fields.indexOf("ts"),
        };
        if (col.client < 0 || col.query < 0)
          throw new InputError("#fields has no id.orig_h or no query column: not a dns.log", file, n);
      }
      return { kind: "other" };
    }
    if (!fields) return { kind: "foreign" };
    if (notDns || col.client < 0 || col.query < 0) return { kind: "other" };
    const v = text.split(sep);
    if (v.length !== fields.length)
      return { kind: "error", message: `${v.length} columns where #fields names ${fields.length}` };
    const query = v[col.query] as string;
    const client = v[col.client] as string;
    if (query === unset || query === "" || query === "(empty)") return { kind: "other" };
    const name = col.qtypeName >= 0 ? v[col.qtypeName] : undefined;
    const num = col.qtype >= 0 ? v[col.qtype] : undefined;
    const qtype = name && name !== unset ? name : num && num !== unset ? num : undefined;
    const time = col.ts >= 0 ? epochTime(v[col.ts]) : undefined;
    return { kind: "query", client, query, ...(qtype ? { qtype } : {}), ...(time ? { time } : {}) };
  };

  const json = (text: string): DnsLine => {
    if (!text.trimStart().startsWith("{")) return { kind: "foreign" };
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch {
      return { kind: "error", message: "malformed JSON" };
    }
    if (!o || typeof o !== "object" || Array.isArray(o))
      return { kind: "error", message: "not a JSON object" };
    const r = o as Record<string, unknown>;
    if (typeof r._path === "string" && r._path !== "dns") return { kind: "other" };
    const id = r.id && typeof r.id === "object" ? (r.id as Record<string, unknown>) : {};
    const client = r["id.orig_h"] ?? id.orig_h;
    const query = r.query;
    if (query === undefined || query === null)
      return "id.orig_h" in r || "id" in r ? { kind: "other" } : { kind: "foreign" };
    if (typeof query !== "string") return { kind: "error", message: "query is not a string", field: "query" };
    if (typeof client !== "string") return { kind: "error", message: "no id.orig_h", field: "client" };
    const qt =
      typeof r.qtype_name === "string"
        ? r.qtype_name
        : typeof r.qtype === "number"
          ? String(r.qtype)
          : undefined;
    const time = epochTime(r.ts);
    return { kind: "query", client, query, ...(qt ? { qtype: qt } : {}), ...(time ? { time } : {}) };
  };

  return (text, n) => {
    mode ??= text.trimStart().startsWith("{") ? "json" : "tsv";
    return mode === "json" ? json(text) : tsv(text, n);
  };
}

export const zeekDns = dnsFormat(
  "zeek-dns",
  "Zeek dns.log (TSV with #fields, or JSON lines): queries of camera clouds only",
  "Zeek dns.log",
  (file) => zeekParser(file),
);
