import type { Identification } from "../src/identify/identification.js";
import type { Observation } from "../src/observations/observation.js";

export function buildIdentification(over: Partial<Identification> = {}): Identification {
  return {
    target: "127.0.0.1",
    manufacturer: null,
    brand: null,
    model: null,
    firmware: null,
    deviceType: "unknown",
    confidence: 0,
    restricted: false,
    policies: [],
    mac: null,
    serial: null,
    evidence: [],
    conflicts: [],
    suspected: [],
    notes: [],
    versions: { firmware: null, serial: null },
    ...over,
  };
}

export function buildObservation(over: Partial<Observation> = {}): Observation {
  return {
    target: "127.0.0.1",
    port: 80,
    protocol: "http",
    request: { method: "GET", path: "/" },
    response: { status: 200, headers: [["Server", "test"]], body: "" },
    time: "2026-11-22T10:00:00.000Z",
    ...over,
  };
}
