import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import {
  bundledVulnerabilityBasis,
  MAX_FEED_BYTES,
  parseKevCatalog,
  parseNvdFeed,
  updateKnowledge,
  updateStartingPoint,
  vulnerabilityOverridePath,
  writeVulnerabilityKb,
  type ChangeKind,
  type KevCatalog,
  type NvdFeed,
  type VulnChange,
  type VulnerabilityKb,
} from "../../assess/vulns/index.js";
import { forTerminal } from "../../report/escape.js";
import { InputError, UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { err, out } from "../output.js";

export interface KbUpdateFlags {
  kev?: string;
  nvd?: string;
  dataDir?: string;
  dryRun?: boolean;
  json?: boolean;
}

interface FeedFile {
  path: string;
  sha256: string;
  text: string;
}

/** Reads a feed file whole, refusing anything but a regular file under the cap (a FIFO would block the read). */
function readFeedFile(path: string): FeedFile {
  let buf: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError("not a regular file", path);
    if (st.size > MAX_FEED_BYTES)
      throw new InputError(`too big (${st.size} bytes; limit ${MAX_FEED_BYTES})`, path);
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return {
    path,
    sha256: createHash("sha256").update(buf).digest("hex"),
    text: buf.toString("utf8").replace(/^\uFEFF/, ""),
  };
}

/** What a file that failed as one feed kind looks like instead, for a message that says which flag it belongs to. */
function otherKind(text: string, flag: "--kev" | "--nvd"): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== "object") return undefined;
  const o = raw as Record<string, unknown>;
  if (flag === "--nvd" && "catalogVersion" in o)
    return "this is a CISA KEV catalogue (it has catalogVersion): give it with --kev";
  if (flag === "--kev" && o["format"] === "NVD_CVE")
    return "this is an NVD CVE API response (format NVD_CVE): give it with --nvd";
  if ("CVE_Items" in o)
    return "this is a retired NVD 1.1 JSON feed (CVE_Items): camsweep reads NVD CVE API 2.0 responses";
  return undefined;
}

/** Parses one feed; a file that fails and is plainly the other kind (or NVD 1.1) says so beside the field. */
function parseFeed<T extends { file: string }>(
  f: FeedFile,
  flag: "--kev" | "--nvd",
  parse: (text: string, fileName: string) => T,
): T {
  try {
    // Errors name the path as given; the data records the file's name only.
    return { ...parse(f.text, f.path), file: basename(f.path) };
  } catch (e) {
    const hint = e instanceof InputError ? otherKind(f.text, flag) : undefined;
    if (!hint) throw e;
    const why = (e as Error).message;
    const bare = why.startsWith(`${f.path}: `) ? why.slice(f.path.length + 2) : why;
    throw new InputError(`${bare}; ${hint}`, f.path);
  }
}

const KIND_LABEL: Record<ChangeKind, string> = {
  "new-cve": "new CVE",
  "kev-added": "added to KEV",
  "kev-changed": "KEV field changed",
  "cvss-changed": "CVSS changed",
  "description-changed": "description changed",
};

function countByKind(changes: VulnChange[]): Partial<Record<ChangeKind, number>> {
  const counts: Partial<Record<ChangeKind, number>> = {};
  for (const c of changes) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}

/**
 * `camsweep kb update --kev FILE --nvd FILE`: applies CISA KEV / NVD CVE 2.0 feed files to the vulnerability data,
 * offline, and writes the user's copy in the data directory (src/assess/vulns/override.ts says which knowledge it
 * starts from). Every file is read and validated before anything is written, and the write is atomic: a bad feed
 * leaves the copy as it was. Nothing is written when nothing changed (the same files applied again).
 */
export async function kbUpdateCommand(flags: KbUpdateFlags): Promise<number> {
  if (!flags.kev && !flags.nvd) throw new UsageError("kb update needs --kev FILE, --nvd FILE or both");
  const kevFile = flags.kev ? readFeedFile(flags.kev) : undefined;
  const nvdFile = flags.nvd ? readFeedFile(flags.nvd) : undefined;
  const kev: KevCatalog | undefined = kevFile && parseFeed(kevFile, "--kev", parseKevCatalog);
  const nvd: NvdFeed | undefined = nvdFile && parseFeed(nvdFile, "--nvd", parseNvdFeed);

  const overridePath = vulnerabilityOverridePath(resolveDataDir(flags.dataDir));
  const basis = bundledVulnerabilityBasis();
  const start = updateStartingPoint(overridePath, basis);
  if (start.restarted) err(`camsweep: note: ${start.restarted}`);
  const aside = start.setAsideFeeds;
  if (aside?.kev)
    err(
      `camsweep: note: it had applied CISA KEV ${forTerminal(aside.kev.file)} (catalogVersion ${forTerminal(aside.kev.catalogVersion)})`,
    );
  if (aside?.nvd)
    err(
      `camsweep: note: it had applied NVD ${forTerminal(aside.nvd.file)} (timestamp ${forTerminal(aside.nvd.timestamp)})`,
    );

  const { next, changes, notes } = updateKnowledge(start.kb, {
    ...(kev ? { kev } : {}),
    ...(nvd ? { nvd } : {}),
  });
  const prior = start.kb.updated;
  const alreadyApplied =
    (!kevFile || prior?.kev?.sha256 === kevFile.sha256) &&
    (!nvdFile || prior?.nvd?.sha256 === nvdFile.sha256);
  const changed = !start.fromOverride || changes.length > 0 || !alreadyApplied;

  const at = new Date().toISOString();
  const updated: NonNullable<VulnerabilityKb["updated"]> = { ...prior, at };
  if (kev && kevFile)
    updated.kev = {
      file: kev.file,
      sha256: kevFile.sha256,
      at,
      catalogVersion: kev.catalogVersion,
      dateReleased: kev.dateReleased,
    };
  if (nvd && nvdFile) updated.nvd = { file: nvd.file, sha256: nvdFile.sha256, at, timestamp: nvd.timestamp };
  const written = changed && !flags.dryRun;
  if (written) writeVulnerabilityKb(overridePath, { ...next, basedOn: basis, updated });

  const counts = countByKind(changes);
  if (flags.json) {
    out(
      JSON.stringify({
        override: overridePath,
        startedFrom: start.file,
        fromOverride: start.fromOverride,
        restarted: start.restarted ?? null,
        setAsideFeeds: start.setAsideFeeds ?? null,
        basedOn: basis,
        feeds: {
          ...(kev && kevFile
            ? { kev: { ...updated.kev, path: kevFile.path, entries: kev.vulnerabilities.length } }
            : {}),
          ...(nvd && nvdFile
            ? { nvd: { ...updated.nvd, path: nvdFile.path, records: nvd.vulnerabilities.length } }
            : {}),
        },
        counts: { total: changes.length, ...counts },
        changes,
        notes,
        changed,
        dryRun: flags.dryRun === true,
        written,
      }),
    );
    return 0;
  }

  // Feed text (names, required actions, versions) is shown escaped: a feed file is input like any other.
  const lines = [
    `vulnerability data: ${start.file} (${start.fromOverride ? "your updated copy" : "bundled"})`,
  ];
  if (kev && kevFile)
    lines.push(
      `CISA KEV ${kev.file}: catalogVersion ${forTerminal(kev.catalogVersion)}, released ` +
        `${forTerminal(kev.dateReleased)}, ${kev.vulnerabilities.length} entries, sha256 ${kevFile.sha256.slice(0, 16)}…`,
    );
  if (nvd && nvdFile)
    lines.push(
      `NVD CVE 2.0 ${nvd.file}: timestamp ${forTerminal(nvd.timestamp)}, ${nvd.vulnerabilities.length} records, ` +
        `sha256 ${nvdFile.sha256.slice(0, 16)}…`,
    );
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${KIND_LABEL[k as ChangeKind]}`);
  lines.push(
    changes.length === 0
      ? "no CVE changed"
      : `${changes.length} change${changes.length === 1 ? "" : "s"}: ${summary.join(", ")}`,
  );
  for (const c of changes) lines.push(`  ${forTerminal(c.message, 300)}`);
  for (const n of notes) lines.push(`note: ${forTerminal(n, 300)}`);
  lines.push(
    written
      ? `wrote ${overridePath}`
      : !changed
        ? `nothing changed (these feed files were applied already): ${overridePath} left as it was`
        : `dry run: nothing written (${overridePath} would be ${start.fromOverride ? "updated" : "created"})`,
  );
  out(lines.join("\n"));
  return 0;
}
