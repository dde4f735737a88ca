// Scores one camsweep-vs-nmap run on the namespace lab against the lab's truth, or prints the table of all runs.
//   node bench/scan/summarize.mjs result --truth T --camsweep J --nmap X ... > bench/results/scan-<size>.json
//   node bench/scan/summarize.mjs table bench/results/scan-*.json
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";

const [mode, ...rest] = process.argv.slice(2);

const lines = (file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** GNU time -v: wall seconds, CPU seconds (user + sys), peak RSS in MiB. */
function usage(file) {
  const text = readFileSync(file, "utf8");
  const num = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text)?.[1] ?? "";
  const seconds = wall.split(":").reduce((s, p) => s * 60 + Number(p), 0);
  const cpu = num("User time \\(seconds\\)") + num("System time \\(seconds\\)");
  return {
    wallSeconds: round(seconds),
    cpuSeconds: round(cpu),
    peakRssMiB: round(num("Maximum resident set size \\(kbytes\\)") / 1024),
    exitStatus: num("Exit status"),
  };
}
const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** What nmap itself says about a service: product, version, extra info, device type, CPE. No raw fingerprints. */
const RESTRICTED_MAKERS = /hikvision|dahua|hiwatch|hilook|ezviz|\blts\b|lorex|amcrest|imou/i;
function nmapRestricted(xmlFile) {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", processEntities: false });
  const run = xml.parse(readFileSync(xmlFile, "utf8")).nmaprun ?? {};
  const up = new Set();
  const flagged = new Set();
  for (const h of list(run.host)) {
    const addr = list(h.address).find((a) => a.addrtype === "ipv4")?.addr;
    if (!addr) continue;
    if (list(h.ports?.port).some((p) => p.state?.state === "open")) up.add(addr);
    const said = list(h.ports?.port)
      .map((p) => {
        const s = p.service ?? {};
        return [s.product, s.version, s.extrainfo, s.devicetype, s.ostype, ...list(s.cpe).map(String)].join(
          " ",
        );
      })
      .join(" ");
    if (RESTRICTED_MAKERS.test(said)) flagged.add(addr);
  }
  return { withOpenPorts: up, flagged };
}

function score(flagged, reported, truth) {
  const restricted = truth.filter((t) => t.expect.restricted);
  const visible = restricted.filter((t) => !t.filtered);
  const found = visible.filter((t) => flagged.has(t.address)).length;
  const falsePositives = [...flagged].filter(
    (a) => !truth.some((t) => t.address === a && t.expect.restricted),
  ).length;
  return {
    restrictedFound: found,
    recall: round(found / Math.max(1, visible.length), 4),
    falsePositives,
    hostsReported: reported,
  };
}

function result(args) {
  const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    if (i < 0 || args[i + 1] === undefined) throw new Error(`missing --${name}`);
    return args[i + 1];
  };
  const truth = lines(opt("truth"));
  const cam = lines(opt("camsweep"));
  const camFlagged = new Set(cam.filter((d) => d.restricted).map((d) => d.address));
  const nm = nmapRestricted(opt("nmap"));
  const camUse = usage(opt("camsweep-time"));
  const nmUse = usage(opt("nmap-time"));
  const restricted = truth.filter((t) => t.expect.restricted);
  return {
    date: new Date().toISOString(),
    size: `/${opt("size")}`,
    range: opt("range"),
    addresses: 2 ** (32 - Number(opt("size"))) - 2,
    devices: truth.length,
    restricted: restricted.length,
    restrictedVisible: restricted.filter((t) => !t.filtered).length,
    filtered: truth.filter((t) => t.filtered).length,
    misbehaving: truth.filter((t) => t.persona.startsWith("misbehave-")).length,
    rttMs: Number(opt("rtt")),
    lossPercent: Number(opt("loss")),
    ports: opt("ports"),
    camsweep: { command: opt("camsweep-command"), ...camUse, ...score(camFlagged, cam.length, truth) },
    nmap: {
      version: opt("nmap-version"),
      command: opt("nmap-command"),
      ...nmUse,
      ...score(nm.flagged, nm.withOpenPorts.size, truth),
    },
    speedup: round(nmUse.wallSeconds / camUse.wallSeconds, 1),
  };
}

function table(files) {
  const rows = files
    .map((f) => JSON.parse(readFileSync(f, "utf8")))
    .sort((a, b) => a.addresses - b.addresses);
  const head = [
    "size",
    "addresses",
    "devices",
    "restricted",
    "tool",
    "wall s",
    "cpu s",
    "peak MiB",
    "found",
    "recall",
    "false+",
  ];
  // A run stopped unfinished (finished: false) shows how long it had run, and no score: it reported nothing.
  const shown = (v) => (v === undefined || v === null ? "-" : v);
  const wall = (x) => (x.finished === false ? `>${x.stoppedAfterSeconds} (unfinished)` : x.wallSeconds);
  const body = rows.flatMap((r) =>
    ["camsweep", "nmap"].map((t) =>
      [
        r.size,
        r.addresses,
        r.devices,
        r.restrictedVisible,
        t,
        wall(r[t]),
        r[t].cpuSeconds,
        r[t].peakRssMiB,
        r[t].restrictedFound,
        r[t].recall,
        r[t].falsePositives,
      ].map(shown),
    ),
  );
  const all = [head, ...body].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) console.log(r.map((v, i) => v.padEnd(w[i])).join("  "));
  for (const r of rows)
    console.log(
      r.speedupAtLeast !== undefined
        ? `${r.size}: camsweep at least ${r.speedupAtLeast}x faster than nmap (nmap unfinished)`
        : `${r.size}: camsweep ${r.speedup}x faster than nmap`,
    );
}

if (mode === "result") console.log(JSON.stringify(result(rest), null, 2));
else if (mode === "table") table(rest);
else {
  console.error("usage: summarize.mjs result --truth ... | table FILES...");
  process.exit(2);
}
