// The device mix of the import benchmark's synthetic inputs: who makes what, how a CMDB writes it, and what nmap -sV
// says about it. About a third Hikvision, Dahua and their sub-brands and relabels; the rest the other camera makers,
// printers and network gear a real asset list also holds.
//
// Sources (so the inputs look like the real thing, not like camsweep's own rules):
// - MAC blocks: /work/shared/reference/protocols.md §8 (IEEE registry extract), with the vendor names nmap 7.93 writes
//   in -oX (`vendor=` from Debian's /usr/share/nmap/nmap-mac-prefixes); blocks missing from that older file are not
//   used. Printers and switches: the same nmap-mac-prefixes file (Hewlett Packard, Brother, Lexmark, Cisco).
// - Relabels keep their maker's NIC block (protocols.md §7.2, §7.3); Lorex and Amcrest have their own (§6.7, §8).
// - Models, firmware and serial forms: protocols.md §4.1–4.3 (Hikvision), §6.6 (Dahua and its OEMs), §7.1 (others).
// - nmap product strings: p/…/ of nmap 7.93's nmap-service-probes (e.g. "Hikvision camera httpd", "Lorex IP camera
//   rtspd", "Axis M1054 or P3364 Network Camera rtspd", "HP JetDirect printer embedded httpd"). A port nmap cannot
//   name gets its table service name only (method="table"), as nmap writes it.

/** Hikvision's ISAPI/ONVIF firmware form (§4.1) and recorder form. */
const HIK_FW = ["V5.5.82 build 190909", "V5.7.3 build 220112", "V5.6.2 build 190701", "V5.8.3 build 240821"];
const HIK_NVR_FW = ["V4.61.000", "V4.75.011", "V5.05.375"];
/** Dahua's `2.<major>.<branch>.<build>.R` (§6.6). */
const DAHUA_FW = ["2.800.0000000.25.R", "2.800.030000000.3.R", "2.420.AC00.15.R", "3.120.0000.0.R"];

const hikvisionNic = [
  ["4419B6", "Hangzhou Hikvision Digital Technology"],
  ["BCAD28", "Hangzhou Hikvision Digital Technology"],
  ["C056E3", "Hangzhou Hikvision Digital Technology"],
  ["686DBC", "Hangzhou Hikvision Digital Technology"],
];
const dahuaNic = [
  ["4C11BF", "Zhejiang Dahua Technology"],
  ["3CEF8C", "Zhejiang Dahua Technology"],
  ["38AF29", "Zhejiang Dahua Technology"],
  ["14A78B", "Zhejiang Dahua Technology"],
];

const HIK_CAM_PORTS = [
  [80, "http", "Hikvision camera httpd"],
  [554, "rtsp", "Hikvision 7513 POE IP camera rtspd"],
  [8000, "ipcam", "Hikvision IPCam control port"],
];
const HIK_NVR_PORTS = [
  [80, "http", "Hikvision Network Video Recorder http admin"],
  [554, "rtsp", "Hikvision DVR rtspd"],
  [8000, "ipcam", "Hikvision IPCam control port"],
];
const DAHUA_PORTS = [
  [80, "http", "Dahua webcam httpd"],
  [554, "rtsp", "Dahua IP camera rtspd"],
  [37777, "unknown", null],
];
const UNNAMED_CAMERA_PORTS = [
  [80, "http", null],
  [443, "https", null],
  [554, "rtsp", null],
];

/**
 * weight: share of the rows (the weights sum to 100). restricted: made by Hikvision or Dahua (a sub-brand or
 * relabel included), so camsweep should flag it. maker: how the CMDB's Manufacturer column writes it (one picked).
 */
export const MAKERS = [
  // Hikvision and its own brands, 19%.
  {
    key: "hikvision",
    weight: 11,
    restricted: true,
    maker: ["Hikvision", "HIKVISION", "Hikvision Digital Technology"],
    nic: hikvisionNic,
    models: ["DS-2CD2142FWD-I", "DS-2CD2320D-I", "DS-2CD2385G1-I", "DS-2CD2T47G1-L", "DS-2CD63C5G1-IVS"],
    firmware: HIK_FW,
    serial: "hikvision",
    tag: "CAM",
    host: "cam",
    ports: HIK_CAM_PORTS,
  },
  {
    key: "hikvision-nvr",
    weight: 2,
    restricted: true,
    maker: ["Hikvision"],
    nic: hikvisionNic,
    models: ["DS-7608NI-K2", "DS-7616NI-I2/16P", "DS-7732NI-K4", "DS-7608NXI-I2/VPro"],
    firmware: HIK_NVR_FW,
    serial: "hikvision",
    tag: "NVR",
    host: "nvr",
    ports: HIK_NVR_PORTS,
  },
  {
    key: "hiwatch",
    weight: 3,
    restricted: true,
    maker: ["HiWatch", "HIWATCH"],
    nic: hikvisionNic,
    models: ["HWI-B140H", "HWI-D121H"],
    firmware: HIK_FW,
    serial: "hikvision",
    tag: "CAM",
    host: "cam",
    ports: HIK_CAM_PORTS,
  },
  {
    key: "lts",
    weight: 1,
    restricted: true,
    maker: ["LTS"],
    nic: hikvisionNic,
    models: ["CMIP1342WE-28MDA"],
    firmware: HIK_FW,
    serial: "hikvision",
    tag: "CAM",
    host: "cam",
    ports: [
      [554, "rtsp", "Hikvision 7513 POE IP camera rtspd"],
      [8000, "ipcam", "Hikvision IPCam control port"],
    ],
  },
  {
    key: "ezviz",
    weight: 1,
    restricted: true,
    maker: ["EZVIZ"],
    nic: [["78A6A0", "Hangzhou Ezviz Software"]],
    models: ["CS-C6N", "CS-H8c"],
    firmware: HIK_FW,
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [[554, "rtsp", null]],
  },
  {
    key: "hilook",
    weight: 1,
    restricted: true,
    maker: ["HiLook"],
    nic: hikvisionNic,
    models: ["IPC-B140H", "NVR-104MH-C"],
    firmware: HIK_FW,
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: HIK_CAM_PORTS,
  },
  // Dahua and its relabels, 14%.
  {
    key: "dahua",
    weight: 9,
    restricted: true,
    maker: ["Dahua", "DAHUA", "Dahua Technology"],
    nic: dahuaNic,
    models: [
      "IPC-HFW2431S-S-S2",
      "DH-IPC-HDW1230T2",
      "DH-IPC-HDW1235C-A-V5",
      "IPC-HDBW2431E-S",
      "XVR5108HS-X",
    ],
    firmware: DAHUA_FW,
    serial: "dahua",
    tag: "CAM",
    host: "cam",
    ports: DAHUA_PORTS,
  },
  {
    key: "lorex",
    weight: 2,
    restricted: true,
    maker: ["Lorex", "LOREX"],
    nic: [["001F54", "Lorex Technology"]],
    models: ["W461ASC", "LNB8921X"],
    firmware: DAHUA_FW,
    serial: "dahua",
    tag: "CAM",
    host: "cam",
    ports: [
      [554, "rtsp", "Lorex IP camera rtspd"],
      [35000, "unknown", null],
    ],
  },
  {
    key: "amcrest",
    weight: 2,
    restricted: true,
    maker: ["Amcrest"],
    nic: [["9C8ECD", "Amcrest Technologies"]],
    models: ["IP2M-841B", "IP4M-1051B", "IP8M-2496EB"],
    firmware: DAHUA_FW,
    serial: "dahua",
    tag: "CAM",
    host: "cam",
    ports: [
      [80, "http", "Amcrest IP camera http interface"],
      [554, "rtsp", "Dahua IP camera rtspd"],
    ],
  },
  {
    key: "imou",
    weight: 1,
    restricted: true,
    maker: ["Imou"],
    nic: dahuaNic,
    models: ["IPC-F22", "IPC-A22EP"],
    firmware: DAHUA_FW,
    serial: "dahua",
    tag: "CAM",
    host: "cam",
    ports: [[554, "rtsp", "Dahua IP camera rtspd"]],
  },
  // Other camera makers, 43%.
  {
    key: "axis",
    weight: 18,
    restricted: false,
    maker: ["Axis Communications", "Axis", "AXIS"],
    nic: [
      ["ACCC8E", "Axis Communications AB"],
      ["00408C", "Axis Communications AB"],
      ["B8A44F", "Axis Communications AB"],
    ],
    models: ["M3045-V", "P3245-LVE", "M1054", "P3364-V", "Q6135-LE"],
    firmware: ["10.12.165", "9.80.3.8", "11.2.61"],
    serial: "mac",
    tag: "CAM",
    host: "axis",
    ports: [
      [80, "http", null],
      [554, "rtsp", "Axis M1054 or P3364 Network Camera rtspd"],
    ],
  },
  {
    key: "hanwha",
    weight: 10,
    restricted: false,
    maker: ["Hanwha Vision", "Hanwha Techwin", "Samsung Techwin"],
    nic: [
      ["E43022", "Hanwha Techwin Security Vietnam"],
      ["000918", "Samsung Techwin"],
    ],
    models: ["XNV-6080R", "XND-8080RV", "PNM-9030V", "QNV-6012R"],
    firmware: ["2.10.03_20231120_R421", "1.41.01_20210805_R127"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: UNNAMED_CAMERA_PORTS,
  },
  {
    key: "bosch",
    weight: 7,
    restricted: false,
    maker: ["Bosch Security Systems", "Bosch"],
    nic: [
      ["000463", "Bosch Security Systems"],
      ["000131", "Bosch Security Systems"],
    ],
    models: ["DINION IP Bullet 5000", "FLEXIDOME IP 4000i", "AUTODOME IP 5000i"],
    firmware: ["7.80.0128", "6.32.0111"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [
      [80, "http", "Bosch DINION IP Bullet 5000 webcam http admin"],
      [554, "rtsp", null],
    ],
  },
  {
    key: "uniview",
    weight: 2,
    restricted: false,
    maker: ["Uniview", "UNV"],
    nic: [["48EA63", "Zhejiang Uniview Technologies"]],
    models: ["IPC2124LB-SF28KM-G", "NVR301-08S3"],
    firmware: ["IPC_G6103-B0008P62D1907"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: UNNAMED_CAMERA_PORTS,
  },
  {
    key: "vivotek",
    weight: 2,
    restricted: false,
    maker: ["Vivotek", "VIVOTEK"],
    nic: [["0002D1", "Vivotek"]],
    models: ["FD8134V", "IB9387-EHT"],
    firmware: ["FD8134V-VVTK-0102d"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [[80, "http", "Vivotek Network Camera http config"]],
  },
  {
    key: "mobotix",
    weight: 1,
    restricted: false,
    maker: ["Mobotix"],
    nic: [["0003C5", "Mobotix AG"]],
    models: ["M73", "S16B"],
    firmware: ["MX-V5.4.3.2"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [[80, "http", "Mobotix Camera http config"]],
  },
  {
    key: "verkada",
    weight: 2,
    restricted: false,
    maker: ["Verkada"],
    nic: [["E0A700", "Verkada"]],
    models: ["CD42", "CB52-E"],
    firmware: [],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [[443, "https", null]],
  },
  {
    key: "reolink",
    weight: 1,
    restricted: false,
    maker: ["Reolink"],
    nic: [["EC71DB", "Reolink Innovation Limited"]],
    models: ["RLC-810A", "RLC-520A"],
    firmware: ["v3.1.0.2368_23062508"],
    serial: "generic",
    tag: "CAM",
    host: "cam",
    ports: [
      [554, "rtsp", null],
      [9000, "cslistener", null],
    ],
  },
  // Printers, 14%.
  {
    key: "hp",
    weight: 8,
    restricted: false,
    maker: ["HP", "Hewlett Packard", "HP Inc."],
    nic: [
      ["0001E6", "Hewlett Packard"],
      ["0004EA", "Hewlett Packard"],
    ],
    models: ["LaserJet Pro M404dn", "LaserJet Enterprise M607", "OfficeJet Pro 9025e"],
    firmware: ["20230627", "2409081_000587"],
    serial: "generic",
    tag: "PRN",
    host: "prn",
    ports: [
      [80, "http", "HP JetDirect printer embedded httpd"],
      [9100, "jetdirect", null],
    ],
  },
  {
    key: "brother",
    weight: 3,
    restricted: false,
    maker: ["Brother"],
    nic: [["3C2AF4", "Brother Industries"]],
    models: ["HL-L5100DN", "MFC-L8900CDW"],
    firmware: ["1.14"],
    serial: "generic",
    tag: "PRN",
    host: "prn",
    ports: [
      [80, "http", null],
      [9100, "jetdirect", null],
    ],
  },
  {
    key: "lexmark",
    weight: 3,
    restricted: false,
    maker: ["Lexmark"],
    nic: [["0021B7", "Lexmark International"]],
    models: ["MS621", "CX725"],
    firmware: ["MSNGM.230.037"],
    serial: "generic",
    tag: "PRN",
    host: "prn",
    ports: [[80, "http", "Lexmark printer http config"]],
  },
  // Network gear, 10%.
  {
    key: "cisco",
    weight: 10,
    restricted: false,
    maker: ["Cisco", "Cisco Systems"],
    nic: [
      ["00000C", "Cisco Systems"],
      ["000142", "Cisco Systems"],
    ],
    models: ["C9200L-48P-4G", "WS-C2960X-24PS-L"],
    firmware: ["17.9.4", "15.2(7)E8"],
    serial: "generic",
    tag: "NET",
    host: "sw",
    ports: [
      [22, "ssh", null],
      [443, "https", "Cisco IOS http config"],
    ],
  },
];
