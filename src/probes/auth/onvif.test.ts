import { describe, expect, it } from "vitest";
import { verifyWsse } from "../../lab/wsse.js";
import {
  clockOffset,
  GET_DEVICE_INFORMATION,
  passwordDigest,
  refusesCredentials,
  usernameToken,
  wsseTime,
} from "./onvif.js";
import { envelope } from "../onvif/soap.js";

describe("WS-UsernameToken", () => {
  it("matches the worked example of the ONVIF Application Programmer's Guide", () => {
    const nonce = Buffer.from("LKqI6G/AikKCQrN0zqZFlg==", "base64");
    expect(passwordDigest(nonce, "2010-09-16T07:50:45Z", "userpassword")).toBe(
      "tuOSpGlFlIXsozq4HFNeeGeFLEI=",
    );
    const t = usernameToken("admin", "userpassword", Date.parse("2010-09-16T07:50:45.123Z"), nonce);
    expect(t.header).toContain(">tuOSpGlFlIXsozq4HFNeeGeFLEI=</Password>");
    expect(t.header).toContain(">2010-09-16T07:50:45Z</Created>");
    expect(t.header).not.toContain("userpassword");
    expect(t.secrets).toContain("tuOSpGlFlIXsozq4HFNeeGeFLEI=");
  });

  it("escapes the username in the envelope", () => {
    expect(usernameToken("a<b&c", "p", 0).header).toContain("<Username>a&lt;b&amp;c</Username>");
  });

  it("the lab accepts the right token only: password, user and clock all checked", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const body = (user: string, pw: string, at: number) =>
      envelope(GET_DEVICE_INFORMATION, usernameToken(user, pw, at).header);
    const c = { username: "admin", password: "Lab-Pass-2024", nowMs: now };
    expect(verifyWsse(body("admin", "Lab-Pass-2024", now), c)).toBe(true);
    expect(verifyWsse(body("admin", "wrong", now), c)).toBe(false);
    expect(verifyWsse(body("root", "Lab-Pass-2024", now), c)).toBe(false);
    expect(verifyWsse(body("admin", "Lab-Pass-2024", now - 10 * 60_000), c)).toBe(false);
    expect(verifyWsse(envelope(GET_DEVICE_INFORMATION), c)).toBe(false);
    expect(verifyWsse('<!DOCTYPE x [<!ENTITY a "b">]><x/>', c)).toBe(false);
    expect(verifyWsse(body("admin", "", now), { ...c, password: "" })).toBe(false);
  });

  it("reads the device clock from GetSystemDateAndTime", () => {
    const reply = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body><tds:GetSystemDateAndTimeResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>7</tt:Hour><tt:Minute>50</tt:Minute><tt:Second>45</tt:Second></tt:Time><tt:Date><tt:Year>2010</tt:Year><tt:Month>9</tt:Month><tt:Day>16</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></env:Body></env:Envelope>`;
    const now = Date.parse("2010-09-16T07:40:45Z");
    expect(clockOffset(reply, now)).toBe(10 * 60_000);
    expect(wsseTime(now + 10 * 60_000)).toBe("2010-09-16T07:50:45Z");
    expect(clockOffset("<x/>", now)).toBeUndefined();
    expect(clockOffset(reply.replace("<tt:Year>2010", "<tt:Year>20x0"), now)).toBeUndefined();
  });

  it("knows a refusal: 401, or a fault saying NotAuthorized", () => {
    const r = (status: number, body = "") => ({ status, headers: [], body });
    expect(refusesCredentials(r(401))).toBe(true);
    expect(refusesCredentials(r(400, "<env:Value>ter:NotAuthorized</env:Value>"))).toBe(true);
    expect(refusesCredentials(r(500, "<env:Value>wsse:FailedAuthentication</env:Value>"))).toBe(true);
    expect(refusesCredentials(r(200, "NotAuthorized"))).toBe(false);
    expect(refusesCredentials(r(400, "<env:Value>ter:ActionNotSupported</env:Value>"))).toBe(false);
  });
});
