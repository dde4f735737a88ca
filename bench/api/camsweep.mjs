// The built camsweep the benchmark runs: dist/ of this tree, or the build named by $CAMSWEEP_DIST (a package root
// holding dist/, migrations/ and knowledge/: run.sh --build makes one of the working tree, so the shared dist/ that
// other work may be using is left alone).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = process.env.CAMSWEEP_DIST
  ? pathToFileURL(`${resolve(process.env.CAMSWEEP_DIST)}/`)
  : new URL("../../", import.meta.url);
const load = (path) => import(new URL(`dist/${path}`, root).href);

export const { openInventory } = await load("inventory/index.js");
export const { addUser, createToken } = await load("inventory/users.js");
export const { buildServer } = await load("server/app.js");
export const { loadKnowledge, identify } = await load("identify/index.js");
export const { loadCorpus, caseObservations } = await load("accuracy/index.js");
export const { packagePath } = await load("shared/paths.js");
