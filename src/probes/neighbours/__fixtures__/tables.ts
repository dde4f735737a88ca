/**
 * Neighbour tables in the shapes real tools print, each with where the shape comes from. Addresses and MACs are
 * changed to documentation-style private ones; the MACs of cameras are the sample MACs of protocols.md §8
 * (Hikvision 44:47:cc, 58:50:ed; Dahua 4c:11:bf; Axis ac:cc:8e).
 */

/**
 * /proc/net/arp. Layout and the flags column from proc(5) (mirrored in "linux /proc/net/arp 文件",
 * https://e-com-net.com/article/4772454.htm: "192.168.0.250 0x1 0xc 00:00:00:00:00:00 * eth0"), and as the
 * 6.1 kernel printed it in a test namespace (iproute2 6.1, `ip netns exec NS cat /proc/net/arp`): a FAILED and an
 * INCOMPLETE entry show flags 0x0 and an all-zero MAC, a PERMANENT one 0x6.
 */
export const PROC_NET_ARP = `IP address       HW type     Flags       HW address            Mask     Device
192.168.1.108    0x1         0x2         4c:11:bf:c2:0b:9d     *        eth0
192.168.1.98     0x1         0x0         00:00:00:00:00:00     *        eth0
192.168.1.64     0x1         0x2         44:47:CC:37:CE:81     *        eth0
192.168.1.1      0x1         0x6         00:00:0c:76:3f:85     *        eth0
192.168.1.99     0x1         0x0         00:00:00:00:00:00     *        eth0
192.168.1.250    0x1         0xc         00:00:00:00:00:00     *        eth0
10.20.0.7        0x1         0x2         ac:cc:8e:3a:0a:8f     *        vlan20
`;

/**
 * `ip neigh show` (iproute2). The classic shapes from the ip-cref manual (http://linux-ip.net/gl/ip-cref/
 * ip-cref-node62.html: "fe80::200:cff:fe76:3f85 dev eth0 lladdr 00:00:0c:76:3f:85 router nud stale", written by
 * older iproute2 with `nud` and lower case), and iproute2 6.1 in a test namespace (upper-case states, "FAILED"
 * and "INCOMPLETE" without lladdr, "router" before the state, `-s` printing "used 6/66/6probes 0" without a
 * space). A French lab report quotes the same shape with DELAY ("10.1.0.10 dev enp0s3 lladdr 08:00:27:f6:ff:2c
 * DELAY").
 */
export const IP_NEIGH = `192.168.1.108 dev eth0 lladdr 4c:11:bf:c2:0b:9d STALE 
192.168.1.98 dev eth0 FAILED 
192.168.1.64 dev eth0 lladdr 44:47:cc:37:ce:81 REACHABLE 
192.168.1.96 dev eth0 lladdr 58:50:ed:1f:e3:86 PROBE 
192.168.1.97 dev eth0 lladdr 58:50:ed:1f:e3:85 DELAY 
192.168.1.1 dev eth0 lladdr 00:00:0c:76:3f:85  used 6/6/6probes 0 PERMANENT 
192.168.1.7 dev eth0 lladdr ac:cc:8e:3a:0a:8f NOARP 
192.168.1.99 dev eth0 INCOMPLETE 
192.168.1.200 dev eth0 proxy 
ff02::16 dev eth0 lladdr 33:33:00:00:00:16 NOARP 
fd00:1::64 dev eth0 lladdr 44:47:cc:37:ce:81 STALE 
fe80::4647:ccff:fe37:ce81 dev eth0 lladdr 44:47:cc:37:ce:81 router REACHABLE 
193.233.7.85 dev eth0 lladdr 00:e0:1e:63:39:00 nud stale
`;

/**
 * `ip -j neigh show nud all` as iproute2 6.1 printed it in a test namespace (compact, one line; "router": null;
 * no "lladdr" on FAILED/INCOMPLETE). The field set matches the sample in VyOS vyos/vyos-1x
 * src/op_mode/neighbor.py ("dst", "dev", "lladdr" missing for failed entries, "state": ["REACHABLE"]).
 */
export const IP_NEIGH_JSON =
  `[{"dst":"192.168.1.108","dev":"eth0","lladdr":"4c:11:bf:c2:0b:9d","state":["STALE"]},` +
  `{"dst":"192.168.1.98","dev":"eth0","state":["FAILED"]},` +
  `{"dst":"192.168.1.64","dev":"eth0","lladdr":"44:47:cc:37:ce:81","state":["REACHABLE"]},` +
  `{"dst":"192.168.1.1","dev":"eth0","lladdr":"00:00:0c:76:3f:85","state":["PERMANENT"]},` +
  `{"dst":"192.168.1.7","dev":"eth0","lladdr":"ac:cc:8e:3a:0a:8f","state":["NOARP"]},` +
  `{"dst":"192.168.1.99","dev":"eth0","state":["INCOMPLETE"]},` +
  `{"dst":"192.168.1.200","dev":"eth0","proxy":null},` +
  `{"dst":"ff02::1:ff28:8ad1","dev":"eth0","lladdr":"33:33:ff:28:8a:d1","state":["NOARP"]},` +
  `{"dst":"fd00:1::64","dev":"eth0","lladdr":"44:47:cc:37:ce:81","state":["STALE"]},` +
  `{"dst":"fe80::4647:ccff:fe37:ce81","dev":"eth0","lladdr":"44:47:cc:37:ce:81","router":null,"state":["REACHABLE"]}]\n`;

/** `ip -j -p neigh` (pretty) as iproute2 6.1 prints it: one field a line, so entries have distinct lines. */
export const IP_NEIGH_JSON_PRETTY = `[ {
        "dst": "192.168.1.108",
        "dev": "eth0",
        "lladdr": "4c:11:bf:c2:0b:9d",
        "state": [ "STALE" ]
    },{
        "dst": "192.168.1.300",
        "dev": "eth0",
        "lladdr": "44:47:cc:37:ce:81",
        "state": [ "REACHABLE" ]
    },{
        "dev": "eth0",
        "lladdr": "44:47:cc:37:ce:82",
        "state": [ "REACHABLE" ]
    } ]
`;

/**
 * Windows `arp -a`, English. Shape from Microsoft's "View the Address Resolution Protocol (ARP) cache"
 * (technet cc786759: "Interface: 10.0.0.1 on Interface 0x1 / Internet Address Physical Address Type /
 * 10.0.0.99 00-e0-98-00-7c-dc dynamic") and windeets.com "arp -a" ("Interface: 192.168.1.100 --- 0x4", a
 * "192.168.1.255 ff-ff-ff-ff-ff-ff static" row), with the multicast rows every Windows lists, CRLF endings.
 * The "invalid" row is what `arp -a -v` adds ("-v ... All invalid entries ... will be shown", `arp /?`).
 */
export const WINDOWS_ARP_EN = [
  "",
  "Interface: 192.168.1.10 --- 0xb",
  "  Internet Address      Physical Address      Type",
  "  192.168.1.1           00-11-22-33-44-55     dynamic   ",
  "  192.168.1.64          44-47-cc-37-ce-81     dynamic   ",
  "  192.168.1.108         4C-11-BF-C2-0B-9D     dynamic   ",
  "  192.168.1.255         ff-ff-ff-ff-ff-ff     static    ",
  "  224.0.0.22            01-00-5e-00-00-16     static    ",
  "  239.255.255.250       01-00-5e-7f-ff-fa     static    ",
  "  255.255.255.255       ff-ff-ff-ff-ff-ff     static    ",
  "",
  "Interface: 10.20.0.5 --- 0x11",
  "  Internet Address      Physical Address      Type",
  "  10.20.0.7             ac-cc-8e-3a-0a-8f     dynamic   ",
  "  10.20.0.9             00-00-00-00-00-00     invalid   ",
  "",
].join("\r\n");

/**
 * `arp -a` on a French Windows, as students' network-lab reports quote it (public course repositories:
 * "Interface : 10.33.72.151 --- 0x4 / Adresse Internet      Adresse physique      Type / 10.33.69.24
 * b8-1e-a4-8f-79-47     dynamique / 224.0.0.2 01-00-5e-00-00-02 statique"; a space before the colon).
 */
export const WINDOWS_ARP_FR = [
  "",
  "Interface : 192.168.56.1 --- 0x3",
  "  Adresse Internet      Adresse physique      Type",
  "  192.168.56.255        ff-ff-ff-ff-ff-ff     statique",
  "  224.0.0.22            01-00-5e-00-00-16     statique",
  "",
  "Interface : 10.33.72.151 --- 0x4",
  "  Adresse Internet      Adresse physique      Type",
  "  10.33.69.24           58-50-ed-1f-e3-85     dynamique",
  "  10.33.79.254          7c-5a-1c-d3-d8-76     dynamique",
  "  10.33.79.255          ff-ff-ff-ff-ff-ff     statique",
  "",
].join("\r\n");

/**
 * `arp -a` on a German Windows. Shape as two independent public projects' tests quote it (a Python network
 * discovery tool's "test_typische_ausgabe" and an R package's "parse_arp_entries"): "Schnittstelle: 192.168.56.1
 * --- 0xb / Internetadresse      Physische Adresse     Typ / ... dynamisch / ... statisch". Not from a raw
 * capture: no German-language capture was found in the sources searched.
 */
export const WINDOWS_ARP_DE = [
  "",
  "Schnittstelle: 192.168.178.20 --- 0xb",
  "  Internetadresse       Physische Adresse     Typ",
  "  192.168.178.1         aa-bb-cc-dd-ee-ff     dynamisch",
  "  192.168.178.64        44-47-cc-37-ce-81     dynamisch",
  "  192.168.178.255       ff-ff-ff-ff-ff-ff     statisch",
  "",
].join("\r\n");

/**
 * PowerShell `Get-NetNeighbor` (default table view). Header, dashes and rows as public write-ups print it
 * ("54      172.16.30.1      90-6C-AC-4B-60-56     Reachable   ActiveStore"; "17      ff15::efc0:988f
 * 33-33-EF-C0-98-8F     Permanent   ActiveStore" in a Rust crate's comment; Stale and Permanent rows in a
 * PowerShell pentest guide). The Unreachable row with an all-zero address follows MSFT_NetNeighbor's states.
 */
export const GET_NETNEIGHBOR = `
ifIndex IPAddress                                          LinkLayerAddress      State       PolicyStore
------- ---------                                          ----------------      -----       -----------
54      172.16.30.1                                        90-6C-AC-4B-60-56     Reachable   ActiveStore
54      172.16.30.64                                       44-47-CC-37-CE-81     Stale       ActiveStore
54      172.16.30.99                                       00-00-00-00-00-00     Unreachable ActiveStore
17      ff15::efc0:988f                                    33-33-EF-C0-98-8F     Permanent   ActiveStore
17      fe80::4647:ccff:fe37:ce81                          44-47-CC-37-CE-81     Stale       ActiveStore
`;
