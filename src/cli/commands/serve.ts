import { openInventory } from "../../inventory/index.js";
import { buildServer } from "../../server/app.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { err } from "../output.js";

/**
 * `camsweep serve`: the API over the inventory (embedded, or PostgreSQL with DATABASE_URL), on loopback unless told
 * otherwise. Runs until SIGINT or SIGTERM, then closes the server and the store.
 */
export async function serveCommand(flags: {
  port?: number;
  host?: string;
  dataDir?: string;
}): Promise<number> {
  const port = flags.port ?? 8080;
  const host = flags.host ?? "127.0.0.1";
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${port}: 0 to 65535`);
  const inv = await openInventory(resolveDataDir(flags.dataDir));
  const app = await buildServer({ inv });
  const address = await app.listen({ port, host });
  err(`camsweep: serving the API on ${address} (OpenAPI at ${address}/api/docs); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await app.close();
  await inv.close();
  return 0;
}
