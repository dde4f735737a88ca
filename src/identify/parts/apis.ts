/**
 * Parts of the device APIs camsweep's probes ask and other tools record: Hikvision ISAPI deviceInfo, Dahua RPC2 and
 * CGI, Axis basicdeviceinfo, and look-alikes' own (Hanwha SUNAPI, VIVOTEK getparam, Uniview LAPI). Each is read only
 * at its own path, so a catch-all page never passes for one.
 */
import { xmlLeaves } from "../xml.js";
import {
  findElement,
  leaves,
  memberParts,
  named,
  PARSE_CAP,
  safeJson,
  safeXml,
  str,
  type Push,
  type Why,
} from "./read.js";

/** Dahua's RPC2 login challenge (HTTP /RPC2_Login, or a DHIP frame on TCP 37777). */
export function rpc2Parts(v: unknown, push: Push): void {
  if (!v || typeof v !== "object") return;
  const j = v as { params?: Record<string, unknown>; error?: Record<string, unknown> };
  const realm = str(j.params?.realm);
  const mac = str(j.params?.mac);
  const msg = str(j.error?.message);
  if (realm) push("dahua.rpc2.realm", realm);
  if (mac) push("dahua.rpc2.mac", mac);
  if (msg) push("dahua.rpc2.message", msg);
}

export function httpApiParts(path: string, status: number, body: string, push: Push, why: Why): void {
  // The legacy path without /ISAPI (older firmware; pyHik retries it) answers the same document.
  if (status === 200 && /^\/(?:ISAPI\/)?System\/deviceInfo\b/i.test(path)) {
    const tree = safeXml(body, why);
    const info = tree && findElement(tree, "DeviceInfo");
    let fields: Map<string, string> | undefined;
    if (info && typeof info === "object") {
      push("isapi.root", "DeviceInfo");
      fields = new Map(leaves(info));
    } else if (!tree) {
      // A reply cut short (or a logged fragment) still says what it said before the cut. Its root is not taken as a
      // DeviceInfo document: a start tag alone is too little for what that part claims.
      fields = new Map(xmlLeaves(body));
      if (fields.size) why(`${fields.size} leaf elements read one by one from the unparsed XML`);
    }
    if (fields) {
      for (const [k, v] of fields) push(named("isapi", k), v);
      // firmwareVersion + firmwareReleasedDate ("V5.8.3" + "build 240821") read as one version string.
      const fw = fields.get("firmwareVersion");
      if (fw) push("isapi.firmware", [fw, fields.get("firmwareReleasedDate")].filter(Boolean).join(" "));
    }
  }
  if (/^\/RPC2_Login\b/.test(path)) rpc2Parts(safeJson(body, why), push);
  // Dahua CGI text replies: "deviceType=IPC-HDW5231R-Z\r\n", "table.General.MachineName=..." per line.
  const ok = status === 200;
  if (ok && /^\/cgi-bin\/(?:magicBox|configManager)\.cgi\b/.test(path)) keyValues(body, "dahua.cgi", push);
  // Other makers' own APIs, read the same way, so that their replies name them: Hanwha's SUNAPI (/stw-cgi/,
  // Model=...), VIVOTEK's getparam (system_info_modelname='IP8131W'), Uniview's LAPI (JSON).
  if (ok && /^\/stw-cgi\//.test(path)) keyValues(body, "sunapi", push);
  if (ok && /^\/cgi-bin\/(?:admin|viewer|operator)\/getparam(?:_cache)?\.cgi\b/.test(path))
    keyValues(body, "vivotek", push);
  if (ok && /^\/LAPI\//.test(path)) {
    // The members at the top (the corpus capture), or inside a {"Response": {..., "Data": {...}}} envelope, the form
    // other LAPI replies take (not yet in the corpus: read both).
    const top = safeJson(body, why) as { Response?: { Data?: unknown } } | undefined;
    memberParts(top && typeof top === "object" ? (top.Response?.Data ?? top) : undefined, "lapi", push);
  }
  if (/^\/axis-cgi\/basicdeviceinfo\.cgi\b/.test(path)) {
    const j = safeJson(body, why) as { data?: { propertyList?: Record<string, unknown> } } | undefined;
    memberParts(j && typeof j === "object" ? j.data?.propertyList : undefined, "axis", push);
  }
}

/** `key=value` lines (at most 200) as `<prefix>.<key>` parts; a value in single quotes loses them. */
function keyValues(body: string, prefix: string, push: Push): void {
  for (const line of body.slice(0, PARSE_CAP).split(/\r?\n/, 200)) {
    const m = /^([A-Za-z][\w.[\]]{0,80})=(.*)$/.exec(line.trim());
    if (m) push(named(prefix, m[1] as string), (m[2] as string).trim().replace(/^'(.*)'$/, "$1"));
  }
}
