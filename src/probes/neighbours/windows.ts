/**
 * Windows neighbour tables, as an auditor exports them: `arp -a` (IPv4; English, German and French wording, and
 * any other language whose block header keeps the `<word>: <address> --- 0x<index>` shape) and PowerShell's
 * `Get-NetNeighbor` table (IPv4 and IPv6). Sources of each shape: __fixtures__/tables.ts.
 */
import { Collector, linesOf, normaliseAddress, type NeighbourParse } from "./entry.js";

/**
 * A block header of `arp -a`: "Interface: 192.168.1.10 --- 0xb" (English), "Schnittstelle: ..." (German),
 * "Interface : ..." (French, a space before the colon), "Interface: 10.0.0.1 on Interface 0x1" (Windows 2003).
 * The label is matched loosely (one word) so other languages' labels read too; the address and `--- 0x` are not.
 */
export const ARP_A_BLOCK =
  /^\s*[\p{L}][\p{L} -]{0,30}?\s?:\s*(\d{1,3}(?:\.\d{1,3}){3})\s+(?:---|on Interface)\s+0x[0-9a-f]{1,8}\s*$/iu;

/** Type words by language: English, German, French. Other words are kept as written. */
const TYPES: Record<string, string> = {
  dynamic: "dynamic",
  static: "static",
  dynamisch: "dynamic",
  statisch: "static",
  dynamique: "dynamic",
  statique: "static",
};

/**
 * `arp -a`: blocks of "<label>: <interface address> --- 0x<index>", a column header line in the system's language
 * ("Internet Address  Physical Address  Type", "Internetadresse  Physische Adresse  Typ", "Adresse Internet
 * Adresse physique  Type"), then `address  aa-bb-cc-dd-ee-ff  type` rows. Windows lists the subnet broadcast and
 * multicast groups as static rows with ff-ff-... and 01-00-5e-... MACs: those are dropped with the other group
 * addresses. A row outside any block, or a second header, is named as an error.
 */
export function parseWindowsArp(text: string): NeighbourParse {
  const c = new Collector();
  let iface: string | undefined;
  let headerNext = false;
  for (const [n, line] of linesOf(text.replace(/^\uFEFF/, ""), c)) {
    if (!line.trim()) continue;
    const block = ARP_A_BLOCK.exec(line);
    if (block) {
      iface = block[1];
      headerNext = true;
      continue;
    }
    const f = line.trim().split(/\s+/);
    const isRow = f.length === 3 && normaliseAddress(f[0] as string) !== undefined;
    if (!isRow) {
      // The column header follows its block line; its words are the system language's, so its place is the test.
      if (headerNext) headerNext = false;
      else c.bad(n, "not an `arp -a` row (address, physical address, type)");
      continue;
    }
    headerNext = false;
    if (iface === undefined) {
      c.bad(n, "row before any `Interface: ... --- 0x..` line");
      continue;
    }
    const [address, mac, type] = f as [string, string, string];
    const t = type.toLowerCase();
    c.add(n, address, mac, { interface: iface, state: TYPES[t] ?? t });
  }
  return c.result();
}

/** The header of `Get-NetNeighbor` (Format-Table, the default view). */
export const GET_NETNEIGHBOR_HEADER = /^\s*ifIndex\s+IPAddress\s+LinkLayerAddress\s+State\s+PolicyStore\s*$/;

/** Get-NetNeighbor states without a valid link-layer address (MSFT_NetNeighbor.State). */
const WIN_INVALID = new Set(["unreachable", "incomplete"]);

/**
 * `Get-NetNeighbor | Format-Table`: "ifIndex IPAddress LinkLayerAddress State PolicyStore", a dashed line, then
 * rows; Unreachable and Incomplete rows (no address, or 00-00-00-00-00-00) and IPv6 multicast groups (33-33-...)
 * are dropped.
 */
export function parseGetNetNeighbor(text: string): NeighbourParse {
  const c = new Collector();
  let header = false;
  for (const [n, line] of linesOf(text.replace(/^\uFEFF/, ""), c)) {
    if (!line.trim()) continue;
    if (!header && GET_NETNEIGHBOR_HEADER.test(line)) {
      header = true;
      continue;
    }
    if (/^[\s-]+$/.test(line)) continue;
    const f = line.trim().split(/\s+/);
    if (!/^\d{1,10}$/.test(f[0] as string) || f.length < 4 || f.length > 5) {
      c.bad(n, "not a Get-NetNeighbor row (ifIndex, IPAddress, LinkLayerAddress, State, PolicyStore)");
      continue;
    }
    const [ifIndex, address] = f as [string, string];
    // Without a link-layer address the row has four columns: the state sits where the address would.
    const state = (f.length === 5 ? f[3] : f[2]) as string;
    if (WIN_INVALID.has(state.toLowerCase()) || f.length === 4) {
      if (!normaliseAddress(address)) c.bad(n, `"${address.slice(0, 60)}" is not an IP address`);
      continue;
    }
    c.add(n, address, f[2] as string, { interface: ifIndex, state });
  }
  return c.result();
}
