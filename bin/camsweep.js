#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error(
    "camsweep: the compiled CLI is missing (dist/). Run `npm install` or `npm run build` in the package folder.",
  );
  process.exit(1);
}
await import(main.href);
