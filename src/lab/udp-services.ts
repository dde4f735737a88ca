import type { RemoteInfo, Socket as UdpSocket } from "node:dgram";
import { dhipFrame } from "../probes/dhip/parse.js";
import type { PersonaService } from "./persona.js";
import type { DeviceContext } from "./respond.js";

type Sadp = Extract<PersonaService, { protocol: "sadp" }>;
type Dhip = Extract<PersonaService, { protocol: "dhip" }>;

/** Real SADP/DHIP requests are < 200 bytes; anything big is not a probe. */
const MAX_DATAGRAM = 16 * 1024;
export const DHIP_MAGIC = Buffer.from("2000000044484950", "hex");

/** Which senders a device answers. */
export type PeerFilter = (r: RemoteInfo) => boolean;

/** Lab devices answer loopback senders only (house rule: lab traffic never leaves 127/8). */
export function loopback(r: RemoteInfo): boolean {
  return r.address.startsWith("127.") || r.address === "::1" || r.address.startsWith("::ffff:127.");
}

/** SADP (§1.2-1.5): reply to `inquiry` / `inquiry_v32` only, echo Uuid, unicast to the sender. */
export function sadpReply(ctx: DeviceContext, svc: Sadp, msg: Buffer, port: number): Buffer | undefined {
  if (msg.length > MAX_DATAGRAM) return undefined;
  const text = msg.toString("utf8");
  const types = /<Types>\s*(inquiry|inquiry_v32)\s*<\/Types>/.exec(text);
  if (!types) return undefined; // activate, update, reboot ... are never answered
  const uuid = (/<Uuid>([^<]{0,80})<\/Uuid>/.exec(text)?.[1] ?? "").replace(/[^0-9A-Za-z-]/g, "");
  return Buffer.from(ctx.render({ port, uuid, types: types[1] as string })(svc.reply), "utf8");
}

/** DHIP (§6.1): answer datagrams with the DHIP magic that ask DHDiscover.search. */
export function dhipReply(ctx: DeviceContext, svc: Dhip, msg: Buffer, port: number): Buffer | undefined {
  if (msg.length > MAX_DATAGRAM || msg.length < 32 || !msg.subarray(0, 8).equals(DHIP_MAGIC))
    return undefined;
  if (!msg.subarray(32).toString("utf8").includes("DHDiscover.search")) return undefined;
  return dhipFrame(ctx.render({ port })(svc.reply) + "\n");
}

/** `peer`: loopback by default; in namespace mode any sender, as only the lab's scanner namespace can reach it. */
export function attachUdp(
  sock: UdpSocket,
  ctx: DeviceContext,
  svc: Sadp | Dhip,
  port: number,
  peer: PeerFilter = loopback,
): void {
  sock.on("message", (msg, rinfo) => {
    if (!peer(rinfo)) return;
    const reply = svc.protocol === "sadp" ? sadpReply(ctx, svc, msg, port) : dhipReply(ctx, svc, msg, port);
    if (reply) sock.send(reply, rinfo.port, rinfo.address);
  });
  sock.on("error", () => undefined);
}
