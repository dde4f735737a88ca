import type { Socket as UdpSocket } from "node:dgram";
import type { DeviceContext } from "./respond.js";
import { GROUPS } from "./multicast.js";
import { MAX_REPLY, ssdpMessage, type UdpService } from "./udp-services.js";

/**
 * What a device says by itself, multicast mode only. Sourced: ONVIF Hello when a device joins (WS-Discovery,
 * §5.1 quotes Dahua Hello scopes) and SSDP NOTIFY ssdp:alive, repeated (UPnP 1.0 §1.1.2). SADP and DHIP devices
 * may multicast their own info in some firmware, but no source here shows the bytes, so the lab does not.
 */
export function announcements(ctx: DeviceContext, svc: UdpService, port: number): Buffer[] {
  if (svc.protocol === "wsd" && svc.hello) {
    const b = Buffer.from(ctx.render({ port })(svc.hello), "utf8");
    return [b.length > MAX_REPLY ? b.subarray(0, MAX_REPLY) : b];
  }
  if (svc.protocol === "ssdp" && svc.notify) {
    const notify = svc.notify;
    return svc.targets.map((t) => ssdpMessage(ctx, svc, "NOTIFY * HTTP/1.1", notify, t, port));
  }
  return [];
}

/** Send the announcements now and every `everyMs` to the service's group; returns the stopper. */
export function startAnnouncing(
  sock: UdpSocket,
  ctx: DeviceContext,
  svc: UdpService,
  port: number,
  everyMs: number,
): () => void {
  const group = GROUPS[svc.protocol];
  if (!group || announcements(ctx, svc, port).length === 0) return () => undefined;
  const send = () => {
    // Rendered each time: a Hello carries a fresh MessageID.
    for (const b of announcements(ctx, svc, port)) sock.send(b, port, group, () => undefined);
  };
  send();
  const timer = setInterval(send, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
