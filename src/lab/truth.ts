import { renameSync, writeFileSync } from "node:fs";
import type { Persona, PersonaExpect } from "./persona.js";

/** One line of a lab's truth file: what is at an address, so a benchmark can score any scanner's recall. */
export interface TruthLine {
  address: string;
  persona: string;
  expect: PersonaExpect;
  /** namespace lab: the device sits behind a firewall that drops everything, so no scanner can see it */
  filtered: boolean;
}

export function truthLines(
  devices: { address: string; persona: Persona }[],
  filtered: Set<string>,
): TruthLine[] {
  return devices.map((d) => ({
    address: d.address,
    persona: d.persona.id,
    expect: d.persona.expect,
    filtered: filtered.has(d.address),
  }));
}

/** Written whole, then renamed into place: a script that waits for the file never reads half of it. */
export function writeTruth(file: string, lines: TruthLine[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  renameSync(tmp, file);
}
