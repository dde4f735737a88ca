import { describe, expect, it } from "vitest";
import { canonicalDn } from "./dn.js";

describe("canonicalDn: one form for a certificate name, whatever printed it", () => {
  const want = "C=CN,ST=ZJ,O=HIKVISION,CN=www.hikvision.com";
  it.each([
    ["RFC 4514, compact", "C=CN,ST=ZJ,O=HIKVISION,CN=www.hikvision.com"],
    ["RFC 4514 with spaces", "C=CN, ST=ZJ, O=HIKVISION, CN=www.hikvision.com"],
    ["OpenSSL spaced, with prefix", "subject=C = CN, ST = ZJ, O = HIKVISION, CN = www.hikvision.com"],
    ["OpenSSL oneline", "/C=CN/ST=ZJ/O=HIKVISION/CN=www.hikvision.com"],
    [
      "nmap ssl-cert",
      "countryName=CN/stateOrProvinceName=ZJ/organizationName=HIKVISION/commonName=www.hikvision.com",
    ],
  ])("%s", (_, text) => {
    expect(canonicalDn(text)).toBe(want);
  });
  it("keeps escaped commas, multi-valued RDNs and slashes inside comma-separated values", () => {
    expect(canonicalDn("CN=Hubitat Elevation, O=Hubitat\\, Inc., C=US")).toBe(
      "CN=Hubitat Elevation,O=Hubitat\\, Inc.,C=US",
    );
    expect(canonicalDn("CN=HP Jetdirect 38831831,OU=2C413883186A+OU=J8028E,O=Hewlett-Packard Co.")).toBe(
      "CN=HP Jetdirect 38831831,OU=2C413883186A+OU=J8028E,O=Hewlett-Packard Co.",
    );
    expect(canonicalDn("CN=a/b, O=c")).toBe("CN=a/b,O=c");
  });
  it("leaves text that is no name as it was, and bounds what it reads", () => {
    expect(canonicalDn("camera1")).toBe("camera1");
    expect(canonicalDn("")).toBe("");
    expect(canonicalDn("CN=x,".repeat(10_000)).length).toBeLessThanOrEqual(4096);
  });
});
