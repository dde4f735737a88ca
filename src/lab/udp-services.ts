import type { RemoteInfo, Socket as UdpSocket } from "node:dgram";
import { dhipFrame } from "../probes/dhip/parse.js";
import { safeXml } from "../identify/parts/read.js";
import type { PersonaService, UdpProtocol } from "./persona.js";
import type { DeviceContext } from "./respond.js";

type Udp<P extends UdpProtocol> = Extract<PersonaService, { protocol: P }>;
export type UdpService = Udp<UdpProtocol>;

/** Real discovery requests are < 1 KiB (an SSDP M-SEARCH, a WS-Discovery Probe); anything big is not a probe. */
export const MAX_DATAGRAM = 16 * 1024;
/** Every reply the lab sends is cut here (persona templates are small; echoed values are capped before this). */
export const MAX_REPLY = 16 * 1024;
export const DHIP_MAGIC = Buffer.from("2000000044484950", "hex");
/** §6.2: the legacy Dahua search is `a3 01 00 01` + 12 zero bytes + `02 00 00 00` + 12 zero bytes. */
export const DHIP_LEGACY_HEAD = Buffer.from("a3010001", "hex");

/** Which senders a device answers. */
export type PeerFilter = (r: RemoteInfo) => boolean;

/** Lab devices answer loopback senders only (house rule: lab traffic never leaves 127/8). */
export function loopback(r: RemoteInfo): boolean {
  return r.address.startsWith("127.") || r.address === "::1" || r.address.startsWith("::ffff:127.");
}

const cut = (b: Buffer) => (b.length > MAX_REPLY ? b.subarray(0, MAX_REPLY) : b);

/** SADP (§1.2-1.5): reply to `inquiry` / `inquiry_v32` only, echo Uuid, unicast to the sender. */
export function sadpReply(
  ctx: DeviceContext,
  svc: Udp<"sadp">,
  msg: Buffer,
  port: number,
): Buffer | undefined {
  if (msg.length > MAX_DATAGRAM) return undefined;
  const text = msg.toString("utf8");
  const types = /<Types>\s*(inquiry|inquiry_v32)\s*<\/Types>/.exec(text);
  if (!types) return undefined; // activate, update, reboot ... are never answered
  const uuid = (/<Uuid>([^<]{0,80})<\/Uuid>/.exec(text)?.[1] ?? "").replace(/[^0-9A-Za-z-]/g, "");
  return cut(Buffer.from(ctx.render({ port, uuid, types: types[1] as string })(svc.reply), "utf8"));
}

/** DHIP (§6.1): answer datagrams with the DHIP magic that ask DHDiscover.search. */
export function dhipReply(
  ctx: DeviceContext,
  svc: Udp<"dhip">,
  msg: Buffer,
  port: number,
): Buffer | undefined {
  if (msg.length > MAX_DATAGRAM || msg.length < 32 || !msg.subarray(0, 8).equals(DHIP_MAGIC))
    return undefined;
  if (!msg.subarray(32).toString("utf8").includes("DHDiscover.search")) return undefined;
  return cut(dhipFrame(ctx.render({ port })(svc.reply) + "\n"));
}

const child = (node: unknown, name: string): unknown => {
  const v = node && typeof node === "object" ? (node as Record<string, unknown>)[name] : undefined;
  return Array.isArray(v) ? (v[0] as unknown) : v;
};
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * WS-Discovery (§5.1): answer a SOAP Probe whose Types are empty (nmap's generic probe) or name
 * NetworkVideoTransmitter under any prefix; Hello, Bye, ProbeMatches and other types are ignored. RelatesTo echoes
 * the probe's MessageID, kept to URI characters and 100 of them.
 */
export function wsdReply(ctx: DeviceContext, svc: Udp<"wsd">, msg: Buffer, port: number): Buffer | undefined {
  if (msg.length > MAX_DATAGRAM) return undefined;
  const env = child(safeXml(msg.toString("utf8")), "Envelope");
  const probe = child(child(env, "Body"), "Probe");
  if (probe === undefined) return undefined;
  const header = child(env, "Header");
  const action = text(child(header, "Action")).trim();
  if (action !== "" && !action.endsWith("/discovery/Probe")) return undefined;
  const types = text(child(probe, "Types")).split(/\s+/).filter(Boolean);
  if (types.length > 0 && !types.some((t) => t.slice(t.indexOf(":") + 1) === "NetworkVideoTransmitter"))
    return undefined;
  const relatesTo = text(child(header, "MessageID"))
    .trim()
    .replace(/[^0-9A-Za-z:._-]/g, "")
    .slice(0, 100);
  return cut(Buffer.from(ctx.render({ port, relatesTo })(svc.reply), "utf8"));
}

/** One SSDP message: start line, then the persona's header lines rendered for this target. */
export function ssdpMessage(
  ctx: DeviceContext,
  svc: Udp<"ssdp">,
  startLine: string,
  headers: [string, string][],
  target: string,
  port: number,
): Buffer {
  const render0 = ctx.render({ port });
  const udn = render0(svc.udn);
  const st = render0(target);
  const usn = st === udn ? udn : `${udn}::${st}`;
  const render = ctx.render({ port, st, usn });
  let out = `${startLine}\r\n`;
  for (const [name, value] of headers) {
    const v = render(value).replace(/[\r\n]/g, "");
    out += v === "" ? `${name}:\r\n` : `${name}: ${v}\r\n`; // libupnp writes a bare "EXT:"
  }
  return cut(Buffer.from(`${out}\r\n`, "utf8"));
}

/**
 * SSDP (UPnP Device Architecture 1.0 §1.2): answer `M-SEARCH * HTTP/1.1` with MAN "ssdp:discover". ST ssdp:all
 * gets one reply per target; another ST gets one reply when it is one of the targets. NOTIFYs and replies from
 * other devices are ignored. Real devices wait a random part of MX before replying; the lab answers at once.
 */
export function ssdpReplies(ctx: DeviceContext, svc: Udp<"ssdp">, msg: Buffer, port: number): Buffer[] {
  if (msg.length > MAX_DATAGRAM) return [];
  const lines = msg.toString("latin1").split(/\r?\n/);
  if (lines[0]?.trim() !== "M-SEARCH * HTTP/1.1") return [];
  const headers = new Map<string, string>();
  for (const l of lines.slice(1, 64)) {
    const i = l.indexOf(":");
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  if (!/^"?ssdp:discover"?$/.test(headers.get("man") ?? "")) return [];
  const st = headers.get("st") ?? "";
  if (st === "") return [];
  const render = ctx.render({ port });
  const targets = st === "ssdp:all" ? svc.targets : svc.targets.filter((t) => render(t) === st);
  return targets.map((t) => ssdpMessage(ctx, svc, "HTTP/1.1 200 OK", svc.reply, t, port));
}

function ipv4Bytes(a: string): Buffer {
  const parts = a.split(".").map(Number);
  return Buffer.from(parts.length === 4 && parts.every((n) => n >= 0 && n <= 255) ? parts : [0, 0, 0, 0]);
}

/** Where §6.2 and UniversalScanner's Dahua1.cs place the fields of the legacy reply. */
export const DHIP_LEGACY = {
  deviceType: 0x28,
  ip: 0x38,
  mask: 0x3c,
  gateway: 0x40,
  dns: 0x44,
  /** section 1 ends here; the MAC follows as ASCII, its length in byte 2 */
  mac: 0x78,
} as const;

/**
 * Legacy Dahua discovery on UDP 5050 (§6.2): the 32-byte `a3 01 00 01` search gets the 0xb3 struct. Byte 0 is
 * 0xb3, byte 2 the length of the MAC section, uint32 LE 0x58 at 4 and 2 at 16 (Dahua1.cs comments); the device
 * type (16 bytes, NUL-padded) at 0x28; IPv4, mask, gateway and DNS in network order at 0x38-0x47; the MAC as
 * "aa:bb:cc:dd:ee:ff" at 0x78. Every other byte is zero: what real devices put there is [U].
 */
export function dhipLegacyReply(
  ctx: DeviceContext,
  svc: Udp<"dhip-legacy">,
  msg: Buffer,
  port: number,
): Buffer | undefined {
  if (msg.length !== 32 || !msg.subarray(0, 4).equals(DHIP_LEGACY_HEAD)) return undefined;
  const mac = (ctx.vars.mac ?? "").slice(0, 32);
  const out = Buffer.alloc(DHIP_LEGACY.mac + mac.length);
  out[0] = 0xb3;
  out[2] = mac.length;
  out.writeUInt32LE(0x58, 4);
  out.writeUInt32LE(2, 16);
  const type = ctx
    .render({ port })(svc.deviceType)
    .replace(/[^\x20-\x7e]/g, "")
    .slice(0, 16);
  out.write(type, DHIP_LEGACY.deviceType, "latin1");
  ipv4Bytes(ctx.address).copy(out, DHIP_LEGACY.ip);
  ipv4Bytes(svc.mask).copy(out, DHIP_LEGACY.mask);
  ipv4Bytes(svc.gateway).copy(out, DHIP_LEGACY.gateway);
  ipv4Bytes(svc.dns).copy(out, DHIP_LEGACY.dns);
  out.write(mac, DHIP_LEGACY.mac, "latin1");
  return out;
}

/** The replies a UDP service sends to one datagram (none when it is not a request the device answers). */
export function udpReplies(ctx: DeviceContext, svc: UdpService, msg: Buffer, port: number): Buffer[] {
  const one = (b: Buffer | undefined) => (b ? [b] : []);
  switch (svc.protocol) {
    case "sadp":
      return one(sadpReply(ctx, svc, msg, port));
    case "dhip":
      return one(dhipReply(ctx, svc, msg, port));
    case "wsd":
      return one(wsdReply(ctx, svc, msg, port));
    case "ssdp":
      return ssdpReplies(ctx, svc, msg, port);
    case "dhip-legacy":
      return one(dhipLegacyReply(ctx, svc, msg, port));
  }
}

/**
 * Answer each datagram unicast to its sender's address and port, as devices do (§1.1, §6.1). `peer`: loopback by
 * default; in namespace and multicast modes any sender, since only the lab's own namespaces can reach it. A reply
 * is never sent to a multicast or broadcast source (a forged source must not turn the lab into a reflector).
 */
export function attachUdp(
  sock: UdpSocket,
  ctx: DeviceContext,
  svc: UdpService,
  port: number,
  peer: PeerFilter = loopback,
): void {
  sock.on("message", (msg, rinfo) => {
    if (!peer(rinfo) || rinfo.port === 0 || !unicastSource(rinfo.address)) return;
    for (const reply of udpReplies(ctx, svc, msg, port)) sock.send(reply, rinfo.port, rinfo.address);
  });
  sock.on("error", () => undefined);
}

function unicastSource(a: string): boolean {
  if (a.includes(":")) return !/^ff/i.test(a);
  const first = Number(a.split(".")[0]);
  return first < 224 && a !== "0.0.0.0";
}
