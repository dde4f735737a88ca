import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../shared/paths.js";
import { detectNmapFormat, parseNmapObservations } from "./index.js";
import { looksLikeNmapNormal, parseNmapNormal, splitVersionColumn } from "./parse-normal.js";

const raw = (id: string) => readFileSync(packagePath("corpus", "nmap", "raw", `${id}.nmap`), "utf8");

describe("nmap normal output", () => {
  it("splits the VERSION column into product, version and extrainfo", () => {
    expect(splitVersionColumn("Hikvision 7513 POE IP camera rtspd")).toEqual({
      product: "Hikvision 7513 POE IP camera rtspd",
    });
    expect(splitVersionColumn("H264DVR rtspd 1.0")).toEqual({ product: "H264DVR rtspd", version: "1.0" });
    expect(splitVersionColumn("BusyBox ftpd (D-Link DCS-932L IP-Cam camera)")).toEqual({
      product: "BusyBox ftpd",
      extrainfo: "D-Link DCS-932L IP-Cam camera",
    });
    expect(
      splitVersionColumn("Portable SDK for UPnP devices 1.6.18 (Linux 3.10.0_hi3536; UPnP 1.0)"),
    ).toEqual({
      product: "Portable SDK for UPnP devices",
      version: "1.6.18",
      extrainfo: "Linux 3.10.0_hi3536; UPnP 1.0",
    });
    expect(splitVersionColumn("OpenSSH 7.4p1 Debian 10+deb9u7 (protocol 2.0)")).toMatchObject({
      product: "OpenSSH",
      version: "7.4p1 Debian 10+deb9u7",
    });
    expect(splitVersionColumn("")).toEqual({});
  });

  it("reads report, ports, scripts, MAC and Service Info", () => {
    const text = [
      "Starting Nmap 7.80 ( https://nmap.org ) at 2020-07-19 14:18 PDT",
      "Nmap scan report for cam.example (192.0.2.5)",
      "Host is up (0.0017s latency).",
      "PORT     STATE SERVICE  VERSION",
      "554/tcp  open  rtsp     Hikvision 7513 POE IP camera rtspd",
      "|_rtsp-methods: OPTIONS, DESCRIBE",
      "8000/tcp open  ipcam    Hikvision IPCam control port",
      "| http-methods: ",
      "|_  Supported Methods: GET",
      "443/tcp  open  ssl/http webserver",
      "23/tcp   closed telnet",
      "3702/udp open|filtered ws-discovery",
      "MAC Address: 44:19:B6:11:22:33 (Hangzhou Hikvision Digital Technology)",
      "Service Info: Device: webcam",
      "",
      "Nmap scan report for 192.0.2.6",
      "PORT   STATE SERVICE",
      "80/tcp open  http",
    ].join("\n");
    const hosts = parseNmapNormal(text, "scan.nmap");
    expect(hosts).toHaveLength(2);
    expect(hosts[0]).toMatchObject({
      address: "192.0.2.5",
      hostname: "cam.example",
      mac: "44:19:B6:11:22:33",
      macVendor: "Hangzhou Hikvision Digital Technology",
    });
    const obs = parseNmapObservations(text, "scan.nmap");
    expect(obs.map((o) => [o.target, o.port])).toEqual([
      ["192.0.2.5", 554],
      ["192.0.2.5", 8000],
      ["192.0.2.5", 443],
      ["192.0.2.6", 80],
    ]);
    expect(obs[0]?.request).toEqual({
      service: "rtsp",
      product: "Hikvision 7513 POE IP camera rtspd",
      devicetype: "webcam",
      hostname: "cam.example",
      transport: "tcp",
      scripts: { "rtsp-methods": "OPTIONS, DESCRIBE" },
      macVendor: "Hangzhou Hikvision Digital Technology",
    });
    expect(obs[0]?.mac).toBe("44:19:B6:11:22:33");
    expect(obs[1]?.request?.scripts).toEqual({ "http-methods": "\n  Supported Methods: GET" });
    expect(obs[2]?.request).toMatchObject({ service: "http", tunnel: "ssl", product: "webserver" });
    expect(obs[3]?.request).toEqual({ service: "http", transport: "tcp" });
  });

  it("reads the REASON column", () => {
    const obs = parseNmapObservations(raw("nmap.p2p-upgrade-server-reason"), "r.nmap");
    expect(obs.map((o) => [o.port, o.request?.service])).toEqual([
      [808, "ccproxy-http"],
      [10220, undefined],
      [10230, undefined],
      [45342, undefined],
      [45514, "cloudcheck"],
    ]);
  });

  it("decodes SF- blocks into the replies nmap captured", () => {
    const obs = parseNmapObservations(raw("nmap.besder-xm530-sf"), "besder.nmap");
    const http = obs.filter((o) => o.protocol === "http");
    expect(http.map((o) => o.request)).toEqual([
      { method: "GET", path: "/", scheme: "http", source: "nmap" },
      { method: "OPTIONS", path: "/", scheme: "http", source: "nmap" },
    ]);
    expect(http[0]?.response).toMatchObject({
      status: 200,
      headers: [
        ["Content-type", "text/html"],
        ["Expires", "0"],
      ],
      body: expect.stringContaining("<title>NETSurveillance WEB</title>"),
      truncated: true,
    });
    // The exact fingerprint wins over the lossy fingerprint-strings rendering of the same replies.
    expect(http.every((o) => !(o.request as Record<string, unknown>).lossy)).toBe(true);
  });

  it("reads verbose 'Discovered open port' lines when the report was cut", () => {
    const obs = parseNmapObservations(raw("nmap.tapo-c120-verbose"), "tapo.nmap");
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({
      target: "203.3.73.238",
      port: 80,
      request: { hostname: "p100-lounge-lamp" },
    });
  });

  it("reads a port table pasted without its report line", () => {
    const obs = parseNmapObservations(raw("nmap.xm-nvr-portlist"), "xm.nmap");
    expect(obs.map((o) => o.port)).toEqual([80, 554, 12901, 23000, 30100, 34567]);
    expect(obs[0]?.target).toBeUndefined();
  });

  it("is detected, and other text is not", () => {
    expect(detectNmapFormat(raw("nmap.besder-xm530-sf"))).toBe("nmap-normal");
    expect(detectNmapFormat(raw("nmap.xm-nvr-portlist"))).toBe("nmap-normal");
    expect(detectNmapFormat('{"protocol":"http"}')).toBeUndefined();
    expect(detectNmapFormat("hello\nworld")).toBeUndefined();
    expect(looksLikeNmapNormal("80/tcp open http")).toBe(true);
  });

  it("never throws anything but an InputError on junk", () => {
    const junk = [
      "PORT STATE SERVICE\n" + "|".repeat(100_000),
      "Nmap scan report for \u0000\u0001\n99999/tcp open x\n65535/tcp open " + "A ".repeat(50_000),
      "SF-Port1-TCP:" + "SF:%r(".repeat(10_000),
      "PORT STATE SERVICE\n" +
        Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)).toString("latin1"),
    ];
    for (const t of junk) {
      try {
        parseNmapObservations(t, "junk.nmap");
      } catch (e) {
        expect((e as Error).name).toBe("InputError");
      }
    }
  });

  it("says when nothing was found", () => {
    expect(() =>
      parseNmapObservations("Starting Nmap 7.80 ( https://nmap.org )\nNote: Host seems down.", "d.nmap"),
    ).toThrow(/^d\.nmap: no host or port found/);
  });
});
