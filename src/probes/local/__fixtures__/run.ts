/**
 * Runs local discovery or listening inside a test namespace (`ip netns exec <ns> vite-node run.ts`), with the
 * options in $CSW_RUN as JSON. Prints "LISTENING" once listen has joined its groups, then "RESULT <json>".
 */
import { listen } from "../listen.js";
import { localDiscovery } from "../send.js";
import { broadcastProtocol, groupProtocol } from "./protocols.js";

const o = JSON.parse(process.env["CSW_RUN"] ?? "{}") as {
  mode: "discover" | "listen";
  interface: string;
  windowMs?: number;
  durationMs?: number;
};
const protocols = [groupProtocol, broadcastProtocol];
const result =
  o.mode === "discover"
    ? await localDiscovery({ interface: o.interface, protocols, windowMs: o.windowMs ?? 1500 })
    : await listen({
        interface: o.interface,
        protocols: [groupProtocol],
        durationMs: o.durationMs ?? 2000,
        onListening: () => process.stdout.write("LISTENING\n"),
      });
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
