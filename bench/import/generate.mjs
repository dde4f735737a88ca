// Synthetic inputs for the import benchmark (issue 6, item 7): a CMDB export as CSV and an nmap -oX file, N devices
// each (default 1,000,000). Row i describes the same device in both files (address, MAC, maker), drawn from a
// generator seeded with (seed, i), so the output is the same on every run and machine. Written as a stream: only a
// 64 KiB chunk is ever held.
//   node bench/import/generate.mjs [--rows N] [--seed S] [--out DIR] [--only csv|nmap]
// Prints a JSON summary on stdout: files, bytes, devices per maker, and how many are Hikvision, Dahua or one of
// their brands (Lorex counted, though camsweep rightly does not flag a Lorex by its name alone: brands.yaml).
import { createWriteStream, mkdirSync, statSync } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { join } from "node:path";
import { MAKERS } from "./makers.mjs";

function options(argv) {
  const o = { rows: 1_000_000, seed: 1, out: ".", only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === "--rows") o.rows = Number(value);
    else if (name === "--seed") o.seed = Number(value);
    else if (name === "--out") o.out = value;
    else if (name === "--only") o.only = value;
    else throw new Error(`unknown option ${name}`);
    i++;
  }
  // 10.16.0.0 to 10.255.255.255 in /24s of 254 hosts holds about 15.6 million; MAC suffixes are 24 bits.
  if (!Number.isInteger(o.rows) || o.rows < 1 || o.rows > 15_000_000)
    throw new Error("--rows: 1 to 15,000,000");
  if (o.only && o.only !== "csv" && o.only !== "nmap") throw new Error("--only: csv or nmap");
  return o;
}

/** mulberry32: small, fast, and the same everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** One generator per row, so a row does not depend on the rows before it. */
const rowRng = (seed, i) => rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35));
const pick = (r, list) => list[Math.floor(r() * list.length)];

const CUMULATIVE = (() => {
  let sum = 0;
  const c = MAKERS.map((m) => (sum += m.weight));
  if (sum !== 100) throw new Error(`maker weights sum to ${sum}, not 100`);
  return c;
})();
function makerOf(r) {
  const x = r() * 100;
  return MAKERS[CUMULATIVE.findIndex((c) => x < c)];
}

const hex2 = (n) => n.toString(16).toUpperCase().padStart(2, "0");
const b36 = (n, width) => n.toString(36).toUpperCase().padStart(width, "0");
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = "0123456789" + LETTERS;
const chars = (r, set, n) => Array.from({ length: n }, () => set[Math.floor(r() * set.length)]).join("");

/** Unique per row: 10.16.0.1 onwards, hosts .1 to .254 of each /24 (a /24 per camera VLAN or floor). */
function addressOf(i) {
  const net = Math.floor(i / 254);
  return `10.${16 + (net >> 8)}.${net & 255}.${1 + (i % 254)}`;
}

/** The OUI's block, then a 24-bit suffix that is a bijection of the row number: no two rows share a MAC. */
function macOf(oui, i) {
  const s = (Math.imul(i, 0x2545f5) + 0x5a5a5a) & 0xffffff;
  return `${oui.slice(0, 2)}:${oui.slice(2, 4)}:${oui.slice(4, 6)}:${hex2(s >> 16)}:${hex2((s >> 8) & 255)}:${hex2(s & 255)}`;
}

/** Serial forms of protocols.md §4.3 (Hikvision) and §6.6 (Dahua); each carries the row number, so each is unique. */
function serialOf(m, model, mac, r, i) {
  switch (m.serial) {
    case "hikvision": {
      const y = 2015 + Math.floor(r() * 11);
      const date = `${y}${String(1 + Math.floor(r() * 12)).padStart(2, "0")}${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`;
      const code = pick(r, ["AAWR", "AACH", "CCCH", "CCWR", "CCRR"]);
      return `${model.split("/")[0]}${date}${code}${pick(r, LETTERS)}${String(i).padStart(8, "0")}`;
    }
    case "dahua":
      return `${chars(r, ALNUM, 2)}${b36(i, 5)}P${pick(r, LETTERS)}${chars(r, ALNUM, 5)}`;
    case "mac": // Axis labels a unit with its MAC as the serial number (not in protocols.md).
      return mac ? mac.replaceAll(":", "") : `ACCC8E${b36(i, 6)}`;
    default:
      return `${m.tag[0]}${chars(r, ALNUM, 3)}${b36(i, 6)}`;
  }
}

const BUILDINGS = ["HQ", "Building 2", "Warehouse", "Annex", "Data centre", "Depot 4"];
function locationOf(r) {
  const b = pick(r, BUILDINGS);
  const x = r();
  if (x < 0.45) return `${b}, floor ${1 + Math.floor(r() * 9)}`;
  if (x < 0.5) return `Parking "P${1 + Math.floor(r() * 4)}"`;
  if (x < 0.95) return b;
  return "";
}

/** One device: the same for row i in both files. */
function device(seed, i) {
  const r = rowRng(seed, i);
  const m = makerOf(r);
  const [oui, vendor] = pick(r, m.nic);
  const mac = r() < 0.85 ? macOf(oui, i) : undefined;
  const model = r() < 0.92 ? pick(r, m.models) : "";
  const serial = r() < 0.7 ? serialOf(m, model || m.models[0], mac, r, i) : "";
  const firmware = m.firmware.length && r() < 0.55 ? pick(r, m.firmware) : "";
  const hostname = r() < 0.9 ? `${m.host}-${b36(i, 5).toLowerCase()}` : "";
  const open = m.ports.length > 1 && r() < 0.5 ? 2 : 1;
  const first = Math.floor(r() * m.ports.length);
  const ports =
    m.ports.length > 1 && open === 2
      ? [m.ports[first], m.ports[(first + 1) % m.ports.length]]
      : [m.ports[first]];
  return {
    m,
    tag: `${m.tag}-${String(i + 1).padStart(7, "0")}`,
    address: addressOf(i),
    mac,
    vendor,
    maker: pick(r, m.maker),
    model,
    serial,
    firmware,
    hostname,
    location: locationOf(r),
    ports: ports.sort((a, b) => a[0] - b[0]),
  };
}

const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csvRow = (d) =>
  [d.tag, d.hostname, d.address, d.mac ?? "", d.maker, d.model, d.serial, d.firmware, d.location]
    .map(csvCell)
    .join(",") + "\r\n";
const CSV_HEADER =
  "Asset Tag,Hostname,IP Address,MAC Address,Manufacturer,Model,Serial Number,Firmware,Location\r\n";

const xmlAttr = (v) =>
  String(v)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
const SCANNED = [...new Set(MAKERS.flatMap((m) => m.ports.map((p) => p[0])))].sort((a, b) => a - b);
const START = 1763800000; // 2025-11-22, a fixed date so the file is the same on every run
const deviceType = (product) => (/camera|webcam|ipcam/i.test(product) ? ' devicetype="webcam"' : "");

function nmapHost(d, i) {
  const t = START + Math.floor(i / 50);
  const lines = [
    `<host starttime="${t}" endtime="${t + 12}"><status state="up" reason="${d.mac ? "arp-response" : "syn-ack"}" reason_ttl="${d.mac ? 0 : 63}"/>`,
    `<address addr="${d.address}" addrtype="ipv4"/>`,
  ];
  if (d.mac) lines.push(`<address addr="${d.mac}" addrtype="mac" vendor="${xmlAttr(d.vendor)}"/>`);
  lines.push("<hostnames>");
  if (d.hostname) lines.push(`<hostname name="${d.hostname}.corp.example" type="PTR"/>`);
  lines.push("</hostnames>");
  const closed = SCANNED.length - d.ports.length;
  lines.push(`<ports><extraports state="closed" count="${closed}">`);
  lines.push(`<extrareasons reason="reset" count="${closed}" proto="tcp"/>`);
  lines.push("</extraports>");
  for (const [port, name, product] of d.ports) {
    const service = product
      ? `<service name="${name}" product="${xmlAttr(product)}"${deviceType(product)} method="probed" conf="10"/>`
      : `<service name="${name}" method="table" conf="3"/>`;
    lines.push(
      `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="64"/>${service}</port>`,
    );
  }
  lines.push("</ports>");
  lines.push(`<times srtt="${400 + (i % 900)}" rttvar="${200 + (i % 300)}" to="100000"/>`);
  lines.push("</host>");
  return lines.join("\n") + "\n";
}

function nmapHead(rows) {
  const args = `nmap -sV -p ${SCANNED.join(",")} -oX nmap-${rows}.xml 10.16.0.0/12`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<!DOCTYPE nmaprun>",
    '<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>',
    `<!-- Nmap 7.93 scan initiated as: ${args} -->`,
    `<nmaprun scanner="nmap" args="${args}" start="${START}" version="7.93" xmloutputversion="1.05">`,
    `<scaninfo type="syn" protocol="tcp" numservices="${SCANNED.length}" services="${SCANNED.join(",")}"/>`,
    '<verbose level="0"/>',
    '<debugging level="0"/>',
    "",
  ].join("\n");
}
function nmapTail(rows) {
  const end = START + Math.floor(rows / 50) + 12;
  return (
    `<runstats><finished time="${end}" elapsed="${end - START}" summary="Nmap done; ${rows} IP addresses (${rows} hosts up)" exit="success"/>` +
    `<hosts up="${rows}" down="0" total="${rows}"/>\n</runstats>\n</nmaprun>\n`
  );
}

/** Writes head, one string per row, tail, in 64 KiB chunks, waiting for the disk when the stream asks to. */
async function write(file, head, rows, row, tail) {
  const out = createWriteStream(file);
  let chunk = head;
  for (let i = 0; i < rows; i++) {
    chunk += row(i);
    if (chunk.length >= 65536) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk + tail);
  await finished(out);
  return statSync(file).size;
}

async function main() {
  const o = options(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const started = Date.now();
  const summary = { rows: o.rows, seed: o.seed, files: {}, makers: {}, hikvisionDahuaAndRelabels: 0 };
  // The mix is counted in its own pass so neither file's pass has to (it costs a fraction of a write).
  for (let i = 0; i < o.rows; i++) {
    const m = makerOf(rowRng(o.seed, i));
    summary.makers[m.key] = (summary.makers[m.key] ?? 0) + 1;
    if (m.restricted) summary.hikvisionDahuaAndRelabels++;
  }
  if (o.only !== "nmap") {
    const file = join(o.out, `assets-${o.rows}.csv`);
    const bytes = await write(file, CSV_HEADER, o.rows, (i) => csvRow(device(o.seed, i)), "");
    summary.files.csv = { file, bytes };
  }
  if (o.only !== "csv") {
    const file = join(o.out, `nmap-${o.rows}.xml`);
    const bytes = await write(
      file,
      nmapHead(o.rows),
      o.rows,
      (i) => nmapHost(device(o.seed, i), i),
      nmapTail(o.rows),
    );
    summary.files.nmap = { file, bytes };
  }
  summary.seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify(summary));
}

await main();
