// The import benchmark's bookkeeping (bench/import/run.sh):
//   node bench/import/summarize.mjs step --backend B --format F --name N --time T --out O --err E --command C
//     one step (an import or a listing) as a JSON line, from GNU time -v's report and the step's output
//   node bench/import/summarize.mjs result --rows N --generated G --steps S [--postgres VERSION]  > import-<rows>.json
//   node bench/import/summarize.mjs table bench/results/import-*.json
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { readFileSync, statSync } from "node:fs";

/** The goal for 1,000,000 rows (issue 6, item 7). */
const GOAL = { rows: 1_000_000, importSeconds: 30, importPeakRssMiB: 512 };

const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function args(list) {
  const o = {};
  for (let i = 0; i < list.length; i += 2) {
    if (!list[i].startsWith("--")) throw new Error(`expected an option, got ${list[i]}`);
    o[list[i].slice(2)] = list[i + 1] ?? "";
  }
  return o;
}

/** GNU time -v: wall seconds, CPU seconds (user + sys), peak RSS in MiB, exit status. */
function usage(file) {
  const text = readFileSync(file, "utf8");
  const num = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text)?.[1] ?? "";
  return {
    wallSeconds: round(wall.split(":").reduce((s, p) => s * 60 + Number(p), 0)),
    cpuSeconds: round(num("User time \\(seconds\\)") + num("System time \\(seconds\\)")),
    peakRssMiB: round(num("Maximum resident set size \\(kbytes\\)") / 1024),
    exitStatus: num("Exit status"),
    // time -v says "Exit status: 0" for a process killed by a signal (V8's heap limit aborts with SIGABRT).
    ...(/Command terminated by signal (\d+)/.test(text)
      ? { signal: Number(/Command terminated by signal (\d+)/.exec(text)[1]) }
      : {}),
  };
}

/** The line of stderr that says what went wrong: V8's fatal error or camsweep's own message, else its end. */
function failure(err) {
  const line = err.split("\n").find((l) => /FATAL ERROR|^camsweep:/.test(l));
  return (line ?? err.slice(-300)).trim().slice(0, 300);
}

/** "FILE: 2000 records from 2001 lines: 2000 devices added, 0 updated; 3 bad rows skipped" */
function importSummary(text) {
  const m =
    /(\d+) records from (\d+) lines: (\d+) devices added, (\d+) updated(?:; (\d+) bad rows skipped)?/.exec(
      text,
    );
  if (!m) return { said: text.trim().slice(0, 300) };
  const [records, lines, added, updated, bad] = m.slice(1).map((x) => Number(x ?? 0));
  return { records, lines, added, updated, badRows: bad };
}

function step(o) {
  const u = usage(o.time);
  const out = readFileSync(o.out, "utf8");
  const err = readFileSync(o.err, "utf8").trim();
  const s = { backend: o.backend, format: o.format, name: o.name, command: o.command, ...u };
  if (o.name === "import") Object.assign(s, importSummary(out));
  else s.devicesListed = Number(out.trim());
  if ((u.exitStatus !== 0 || u.signal) && err) s.error = failure(err);
  return s;
}

function git(...a) {
  try {
    return execFileSync("git", a, { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

function result(o) {
  const generated = JSON.parse(readFileSync(o.generated, "utf8"));
  const steps = readFileSync(o.steps, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const rows = Number(o.rows);
  for (const s of steps)
    if (s.name === "import" && s.wallSeconds > 0) s.rowsPerSecond = Math.round(rows / s.wallSeconds);
  return {
    date: new Date().toISOString(),
    rows,
    seed: generated.seed,
    inputs: {
      csvBytes: generated.files.csv?.bytes,
      nmapXmlBytes: generated.files.nmap?.bytes,
      generateSeconds: generated.seconds,
      // The generator streams: its peak memory should not grow with the rows.
      generatePeakRssMiB: o["generate-time"] ? usage(o["generate-time"]).peakRssMiB : undefined,
      makers: generated.makers,
      hikvisionDahuaAndRelabels: generated.hikvisionDahuaAndRelabels,
    },
    goal: GOAL,
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model,
      memoryMiB: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      postgres: o.postgres || null,
    },
    // The tree the figures came from: the commit, and whether src/ had uncommitted changes then.
    commit: o.commit || git("rev-parse", "--short", "HEAD"),
    srcChanged: git("status", "--porcelain", "--", "src") ? true : false,
    // The CLI that ran is dist/, built from src/ at this time (the inventory's code changed during the session).
    distBuiltAt: statSync("dist/inventory/store.js").mtime.toISOString(),
    steps,
  };
}

function table(files) {
  const rows = [];
  for (const f of files) {
    const r = JSON.parse(readFileSync(f, "utf8"));
    for (const s of r.steps) {
      const what =
        s.name === "import"
          ? `${s.records ?? "?"} records, ${s.added ?? "?"} added${s.error ? ", FAILED: " + s.error : ""}`
          : `${s.devicesListed} devices${s.error ? ", FAILED: " + s.error : ""}`;
      rows.push([
        r.rows,
        s.backend,
        s.format,
        s.name,
        `${s.wallSeconds} s`,
        `${s.cpuSeconds} s`,
        `${s.peakRssMiB} MiB`,
        what,
      ]);
    }
  }
  const head = ["rows", "backend", "format", "step", "wall", "CPU", "peak RSS", "result"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "step") console.log(JSON.stringify(step(args(rest))));
else if (mode === "result") console.log(JSON.stringify(result(args(rest)), null, 1));
else if (mode === "table") table(rest);
else {
  console.error("usage: summarize.mjs step|result|table ...");
  process.exit(2);
}
