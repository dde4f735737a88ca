import { describe, expect, it } from "vitest";
import { DEFAULT_PORTS, parsePorts } from "./index.js";

describe("parsePorts", () => {
  it("assigns default services and explicit ones", () => {
    expect(parsePorts("80,443,554,8000-8002,20080/http,20554/rtsp,37777,9")).toEqual([
      { port: 80, service: "http" },
      { port: 443, service: "https" },
      { port: 554, service: "rtsp" },
      { port: 8000, service: "hik-sdk" },
      { port: 8001, service: "tcp" },
      { port: 8002, service: "tcp" },
      { port: 20080, service: "http" },
      { port: 20554, service: "rtsp" },
      { port: 37777, service: "dahua-sdk" },
      { port: 9, service: "tcp" },
    ]);
  });
  it("deduplicates, later service wins", () => {
    expect(parsePorts("8080, 8080/https")).toEqual([{ port: 8080, service: "https" }]);
  });
  it("rejects bad items by name", () => {
    expect(() => parsePorts("80,0")).toThrow('port "0": port out of range');
    expect(() => parsePorts("65536")).toThrow('port "65536"');
    expect(() => parsePorts("abc")).toThrow('port "abc": not a port number or range');
    expect(() => parsePorts("90-80")).toThrow(/ends before/);
    expect(() => parsePorts("81/gopher")).toThrow(/unknown service "gopher"/);
    expect(() => parsePorts("")).toThrow(/empty/);
  });
  it("DEFAULT_PORTS", () => {
    expect(DEFAULT_PORTS.map((p) => `${p.port}/${p.service}`)).toEqual([
      "80/http",
      "443/https",
      "554/rtsp",
      "8000/hik-sdk",
      "8080/http",
      "8443/https",
      "37777/dahua-sdk",
    ]);
  });
});
