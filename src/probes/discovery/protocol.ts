import type { ObservationPart } from "../observe.js";

/**
 * The discovery protocols as one table: what an inquiry is, where it goes (unicast to a target, multicast or
 * broadcast on a named interface), and how a datagram that comes back, or that a device announces by itself,
 * becomes an observation. The unicast scan, `scan --local` and `listen` all read this table, so a protocol is
 * described once.
 */
export type DiscoveryId = "sadp" | "wsd" | "dhip" | "dhip-legacy" | "ssdp";

/** Where an inquiry is sent: a group or broadcast address (local mode), or one target (unicast). */
export interface InquiryDestination {
  address: string;
  port: number;
  multicast: boolean;
}

export interface DiscoveryProtocol {
  id: DiscoveryId;
  /** the UDP port inquiries go to and announcements arrive on */
  port: number;
  /** multicast groups the inquiry goes to on a named interface (local mode) and `listen` joins */
  groups: { v4?: string; v6?: string };
  /** local mode also sends the inquiry to IPv4 limited broadcast (255.255.255.255) on the interface */
  broadcast?: boolean;
  /**
   * The datagrams of one inquiry, with fresh message ids each call; read-only requests only. `to` is where they go:
   * only SSDP's text depends on it (its HOST line names the destination, and a multicast search carries MX while a
   * unicast one does not: UPnP Device Architecture 1.1 §1.3.2). Without `to`, the IPv4 multicast form.
   */
  inquiry(to?: InquiryDestination): Buffer[];
  /**
   * One received datagram (a reply or an announcement) -> an observation part without target and time, or
   * undefined when the datagram is not this protocol's (wrong magic, a probe echoed back, another tool's query).
   * Never throws: the datagram is hostile input.
   */
  observe(data: Buffer, truncated: boolean): ObservationPart | undefined;
}
