/** The fixed HTTP probe list (the probe set: docs/probes.md; facts: protocols.md §2.4, §6.4). */
export interface HttpProbeRequest {
  method: "GET" | "POST";
  path: string;
  /** JSON body, sent with Content-Type application/json */
  body?: string;
  /** GET / follows up to 2 same-host redirects */
  followRedirects?: boolean;
}

export const HTTP_PROBES: readonly HttpProbeRequest[] = [
  { method: "GET", path: "/", followRedirects: true },
  { method: "GET", path: "/ISAPI/System/deviceInfo" },
  { method: "GET", path: "/SDK/activateStatus" },
  { method: "GET", path: "/doc/page/login.asp" },
  // Favicon hashes (MD5, Shodan mmh3) name web UIs that say nothing else about themselves.
  { method: "GET", path: "/favicon.ico" },
  {
    method: "POST",
    path: "/RPC2_Login",
    // First (challenge) step only; the scanner never sends a password step.
    body: '{"method":"global.login","params":{"userName":"admin","password":"","clientType":"Web3.0","loginType":"Direct"},"id":1}',
  },
  {
    method: "POST",
    path: "/axis-cgi/basicdeviceinfo.cgi",
    body: '{"apiVersion":"1.0","method":"getAllUnrestrictedProperties"}',
  },
];

export const MAX_REDIRECTS = 2;
