import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { packagePath } from "../../shared/paths.js";
import { ObservationSchema } from "../observation.js";
import { parseObservations } from "../read.js";

/**
 * corpus/nmap/: each case's observations must be exactly what the nmap parser yields from the published
 * text kept in corpus/nmap/raw/<case id>.nmap|.xml (docs/corpus.md "## nmap cases"). After a deliberate
 * parser change, `CAMSWEEP_WRITE_NMAP_CORPUS=1 npx vitest run src/observations/nmap/corpus.test.ts`
 * rewrites the observations (and nothing else) of every case, to be reviewed like any change.
 */
const DIR = packagePath("corpus", "nmap");
const WRITE = process.env["CAMSWEEP_WRITE_NMAP_CORPUS"] === "1";

function noTime<T extends { time?: string }>(o: T): Omit<T, "time"> {
  const { time: _t, ...rest } = o;
  return rest;
}

function rawFile(id: string): string | undefined {
  for (const ext of ["nmap", "xml"]) {
    const p = join(DIR, "raw", `${id}.${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)) : [];

describe("nmap corpus cases are what the parser reads from the published text", () => {
  it("has cases and raw files", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    const path = join(DIR, f);
    const doc = parseDocument(readFileSync(path, "utf8"));
    const cases = (doc.toJS() as { cases: { id: string; observations: unknown[] }[] }).cases;
    cases.forEach((c, i) => {
      it(`${f} ${c.id}`, () => {
        const raw = rawFile(c.id);
        expect(raw, `corpus/nmap/raw/${c.id}.nmap or .xml`).toBeDefined();
        const parsed = parseObservations(readFileSync(raw as string, "utf8"), raw as string).map(noTime);
        if (WRITE) doc.setIn(["cases", i, "observations"], parsed);
        const stored = c.observations.map((o) => noTime(ObservationSchema.parse(o)));
        if (!WRITE) expect(stored).toEqual(parsed);
      });
    });
    if (WRITE) {
      it(`${f} written`, () => {
        writeFileSync(path, doc.toString({ lineWidth: 0 }));
      });
    }
  }

  it("every raw file belongs to a case", () => {
    const ids = new Set(
      files.flatMap((f) =>
        (parseDocument(readFileSync(join(DIR, f), "utf8")).toJS() as { cases: { id: string }[] }).cases.map(
          (c) => c.id,
        ),
      ),
    );
    const raws = existsSync(join(DIR, "raw")) ? readdirSync(join(DIR, "raw")) : [];
    for (const r of raws) expect(ids.has(r.replace(/\.(nmap|xml)$/, "")), r).toBe(true);
  });
});
