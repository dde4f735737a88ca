import { describe, expect, it } from "vitest";
import { parseObservations } from "./read.js";

const obs = (target: string) => ({
  target,
  port: 80,
  protocol: "http",
  response: { status: 200, headers: [], body: "" },
});

describe("parseObservations", () => {
  it("reads one object, an array, or JSON Lines", () => {
    expect(parseObservations(JSON.stringify(obs("a")), "f")).toHaveLength(1);
    expect(parseObservations(JSON.stringify(obs("a"), null, 2), "f")).toHaveLength(1);
    expect(parseObservations(JSON.stringify([obs("a"), obs("b")]), "f")).toHaveLength(2);
    const jsonl = [obs("a"), obs("b"), obs("c")].map((o) => JSON.stringify(o)).join("\n") + "\n";
    expect(parseObservations(jsonl, "f").map((o) => o.target)).toEqual(["a", "b", "c"]);
  });

  it("ignores unknown fields and normalises header objects to pairs", () => {
    const [o] = parseObservations(
      JSON.stringify({ ...obs("a"), extra: 1, response: { status: 200, headers: { Server: "x" } } }),
      "f",
    );
    expect(o).not.toHaveProperty("extra");
    expect(o?.response).toMatchObject({ headers: [["Server", "x"]], body: "" });
  });

  it("names the bad line of a JSON Lines file", () => {
    const text = [JSON.stringify(obs("a")), "{not json", JSON.stringify(obs("c"))].join("\n");
    expect(() => parseObservations(text, "obs.jsonl")).toThrow(/^obs\.jsonl:2: not valid JSON/);
  });

  it("names the line and field of an invalid observation", () => {
    const text = [JSON.stringify(obs("a")), JSON.stringify({ ...obs("b"), protocol: "smtp" })].join("\n");
    expect(() => parseObservations(text, "obs.jsonl")).toThrow(
      /^obs\.jsonl:2: invalid observation: protocol/,
    );
    expect(() => parseObservations(JSON.stringify({ ...obs("a"), port: 70000 }), "o.json")).toThrow(/port/);
  });
});
