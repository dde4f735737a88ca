import { describe, expect, it } from "vitest";
import {
  fingerprintStringsReplies,
  parseServiceFingerprint,
  repliesToObservations,
  unescapeFp,
  unwrapFingerprint,
} from "./service-fp.js";
import { parseMessage } from "../message.js";

// From a published -oN scan of a Xiongmai camera (corpus/nmap/raw/nmap.dvr163-hisilicon-nvr.nmap), and nmap's
// own reply strings (nmap-service-probes 7.93 lines 11363, 1801).
const DVR163 = String.raw`SF-Port10000-TCP:V=7.80%I=7%D=11/10%Time=5FAA65B6%P=i686-pc-windows-window
SF:s%r(RPCCheck,6D,"HTTP/1\.0\x20403\x20Forbidden\r\ncontent-type:\x20text
SF:/html\r\ncontent-length:\x2038\r\n\r\n<html><body><h1>403</h1></body></
SF:html>");`;

describe("nmap service fingerprints", () => {
  it("unwraps SF: continuation lines", () => {
    expect(unwrapFingerprint('SF-Port1-TCP:V=7%r(A\nSF:B,1,"x");')).toBe('SF-Port1-TCP:V=7%r(AB,1,"x");');
  });

  it("decodes nmap's escapes", () => {
    expect(unescapeFp(String.raw`HTTP/1\.0\x20403\r\n\0\\\"\(`).toString("latin1")).toBe(
      'HTTP/1.0 403\r\n\0\\"(',
    );
    expect([...unescapeFp(String.raw`\xff\xFE\t`)]).toEqual([0xff, 0xfe, 9]);
    // A cut escape at the end of a truncated fingerprint does not throw.
    expect(unescapeFp("abc\\").toString()).toBe("abc\\");
    expect(unescapeFp("\\x4").toString()).toBe("x4");
  });

  it("parses header fields and replies", () => {
    const fp = parseServiceFingerprint(DVR163);
    expect(fp).toMatchObject({ port: 10000, transport: "tcp", nmapVersion: "7.80" });
    expect(fp.replies).toHaveLength(1);
    expect(fp.replies[0]?.probe).toBe("RPCCheck");
    expect(fp.replies[0]?.declared).toBe(0x6d);
    expect(fp.replies[0]?.bytes.toString()).toBe(
      "HTTP/1.0 403 Forbidden\r\ncontent-type: text/html\r\ncontent-length: 38\r\n\r\n<html><body><h1>403</h1></body></html>",
    );
  });

  it("turns replies into http, rtsp and banner observations", () => {
    const fp = parseServiceFingerprint(
      String.raw`SF-Port554-TCP:V=7.93%I=7%D=1/1%Time=0%P=x%r(RTSPRequest,58,"RTSP/1\.0\x20405\x20Method\x20Not\x20Allowed\r\nServer:\x20Dahua\x20Rtsp\x20Server\r\nContent-Length:\x200\r\nCSeq:\x200\r\n\r\n")%r(GetRequest,58,"RTSP/1\.0\x20405\x20Method\x20Not\x20Allowed\r\nServer:\x20Dahua\x20Rtsp\x20Server\r\nContent-Length:\x200\r\nCSeq:\x200\r\n\r\n")%r(NULL,10,"\0\0\0\x10\0\0\0\x1e\0\0\0\x1e\0\0\0\0")%r(GenericLines,10,"\0\0\0\x10\0\0\0\x1e\0\0\0\x1e\0\0\0\0");`,
    );
    const obs = repliesToObservations(fp.replies, { target: "192.0.2.1", port: 554, extra: { mac: "x" } });
    expect(obs.map((o) => o.protocol)).toEqual(["rtsp", "rtsp", "banner"]);
    expect(obs[0]).toMatchObject({
      target: "192.0.2.1",
      port: 554,
      request: { method: "OPTIONS", uri: "/", source: "nmap", mac: "x" },
      response: {
        status: 405,
        version: "RTSP/1.0",
        headers: [
          ["Server", "Dahua Rtsp Server"],
          ["Content-Length", "0"],
          ["CSeq", "0"],
        ],
      },
    });
    expect(obs[1]?.request).toMatchObject({ probe: "GetRequest" });
    expect(obs[2]).toMatchObject({
      request: { probe: "NULL,GenericLines" },
      response: { raw: "AAAAEAAAAB4AAAAeAAAAAA==", encoding: "base64" },
    });
  });

  it("marks a reply nmap cut as truncated", () => {
    const fp = parseServiceFingerprint(
      `SF-Port80-TCP:V=7%r(GetRequest,1C80,"HTTP/1\\.0\\x20200\\x20OK\\r\\n\\r\\n<html>");`,
    );
    const [o] = repliesToObservations(fp.replies, { port: 80 });
    expect(o).toMatchObject({
      protocol: "http",
      request: { method: "GET", path: "/" },
      response: { status: 200, body: "<html>", truncated: true },
    });
  });

  it("keeps non-UTF-8 bodies as base64", () => {
    const m = parseMessage(Buffer.from("HTTP/1.1 200 OK\r\n\r\n\xff\xfe", "latin1"), "HTTP");
    expect(m?.body).toEqual(Buffer.from([0xff, 0xfe]));
    const fp = parseServiceFingerprint(
      String.raw`SF-Port80-TCP:V=7%r(GetRequest,15,"HTTP/1\.1\x20200\x20OK\r\n\r\n\xff\xfe");`,
    );
    expect(repliesToObservations(fp.replies, {})[0]?.response).toMatchObject({
      body: "//4=",
      bodyEncoding: "base64",
    });
  });

  it("never throws on hostile or malformed fingerprints", () => {
    for (const junk of [
      "",
      "SF-Port99999-TCP:",
      "%r(",
      '%r(GetRequest,ZZ,"x")',
      '%r(GetRequest,10,"unterminated',
      "SF:" + "\\".repeat(5000),
      '%r(A,1,"' + "\\x41".repeat(100_000) + '")',
      "\u0000\u0001\uFFFD%r(%r(%r(",
    ]) {
      const fp = parseServiceFingerprint(junk);
      expect(() => repliesToObservations(fp.replies, {})).not.toThrow();
    }
    const many = Array.from({ length: 500 }, (_, i) => `%r(P${i},1,"a")`).join("");
    expect(parseServiceFingerprint(many).replies.length).toBeLessThanOrEqual(64);
  });

  it("rebuilds replies from fingerprint-strings script output", () => {
    // corpus/nmap/raw/nmap.gibssi-tas-tech-ipcam.nmap (published -sC output)
    const out = [
      "",
      "  FourOhFourRequest: ",
      "    HTTP/1.1 404 Not Found",
      "    Server: TAS-Tech IPCam",
      "    Date: Fri, 8 Mar 118 18:46:15 GMT",
      "  NULL, GenericLines: ",
      "    CAMERA login:",
    ].join("\n");
    const replies = fingerprintStringsReplies(out);
    expect(replies.map((r) => r.probe)).toEqual(["FourOhFourRequest", "NULL", "GenericLines"]);
    const obs = repliesToObservations(replies, { port: 8001 });
    expect(obs[0]).toMatchObject({
      protocol: "http",
      request: { method: "GET", path: "/nice%20ports%2C/Tri%6Eity.txt%2ebak" },
      response: {
        status: 404,
        headers: [
          ["Server", "TAS-Tech IPCam"],
          ["Date", "Fri, 8 Mar 118 18:46:15 GMT"],
        ],
        body: "",
      },
    });
    expect(obs[1]).toMatchObject({
      protocol: "banner",
      request: { probe: "NULL,GenericLines" },
      response: { raw: "CAMERA login:" },
    });
  });
});
