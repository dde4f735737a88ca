/**
 * One multicast-mode lab device, for tests that run it inside a namespace they made
 * (`ip netns exec NS vite-node multicast-device.ts '<LabOptions JSON>'`). Prints one JSON line when bound (or
 * `{"error": ...}`), then serves until its stdin closes, so it dies with the test that spawned it.
 */
import { startLab, type LabOptions } from "../index.js";

const opts = JSON.parse(process.argv[2] ?? "{}") as LabOptions;
try {
  const lab = await startLab(opts);
  console.log(
    JSON.stringify({ devices: lab.devices.map((d) => ({ address: d.address, services: d.services })) }),
  );
  process.stdin.resume();
  process.stdin.on("close", () => void lab.stop().then(() => process.exit(0)));
  process.stdin.on("end", () => void lab.stop().then(() => process.exit(0)));
} catch (e) {
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
}
