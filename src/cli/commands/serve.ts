import { openInventory } from "../../inventory/index.js";
import { buildServer } from "../../server/app.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { loadConfig } from "../../shared/config.js";
import { err, list } from "../output.js";

/**
 * `camsweep serve`: the API over the inventory (embedded, or PostgreSQL with DATABASE_URL), on loopback unless told
 * otherwise. Runs until SIGINT or SIGTERM, then closes the server and the store.
 */
export async function serveCommand(flags: {
  port?: number;
  host?: string;
  allow?: string[];
  config?: string;
  dataDir?: string;
}): Promise<number> {
  const port = flags.port ?? 8080;
  const host = flags.host ?? "127.0.0.1";
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${port}: 0 to 65535`);
  // As for `camsweep scan`: the config's allow-list is the standing scope, which --allow may narrow, never widen.
  const config = loadConfig(flags.config);
  const jobs = {
    allow: list(flags.allow),
    scope: config.path ? [{ allow: config.allow, source: config.path }] : [],
    exclude: config.exclude,
    ...(config.ports ? { ports: config.ports } : {}),
  };
  const dataDir = resolveDataDir(flags.dataDir);
  const inv = await openInventory(dataDir);
  const app = await buildServer({ inv, dataDir, jobs });
  const address = await app.listen({ port, host });
  err(`camsweep: serving the web app and API on ${address} (OpenAPI at ${address}/api/docs); Ctrl-C stops`);
  err(
    jobs.allow.length || jobs.scope.length
      ? `camsweep: scans from the web stay inside ${[...jobs.allow, ...jobs.scope.flatMap((s) => s.allow)].join(", ")}`
      : "camsweep: no --allow: scans cannot be started from the web",
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await app.close();
  await inv.close();
  return 0;
}
