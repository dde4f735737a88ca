/**
 * Firmware versions, models and serial numbers: parsed and normalised so later stages can compare a device's
 * firmware with the affected ranges of shared/reference/vulnerabilities.json.
 *
 * Pure functions, no I/O. Every function accepts hostile input: it never throws, caps what it reads, and its
 * regexes have bounded quantifiers only (no nested repeats), so no input makes them backtrack super-linearly.
 *
 * Version schemes (shared/reference/protocols.md §4.1, §6.6):
 * - hikvision: `V<maj>.<min>[.<patch>]` with a build `yymmdd`, written `V5.5.6build 180326` (SADP, no space),
 *   `V5.5.82 build 190909` (ONVIF), `V5.8.3` + `build 240821` (ISAPI firmwareVersion + firmwareReleasedDate,
 *   joined with a space), `4.1.0 b130111` (NVD), `V5.5.0_build170725` and `IPC_G3_EN_STD_5.5.160_210416` (firmware
 *   folder and file names). Normal form: `V5.5.6 build 180326`. numbers = [maj, min, patch] as written
 *   ("V4.22.005" -> [4, 22, 5]).
 * - dahua: `<major>.<minor>.<branch>.<revision>[.R|T|B]`, the minor always 3 digits, with the build date beside it
 *   (`2.800.0000000.4.R, Build Date 2019-11-05`, `version=…,build:2020-06-05`, `version=…\r\nBuildDate=…`), or
 *   appended as yymmdd / yyyymmdd (NVD `2.800.0000000.29.r.210630`, file names `…_V2.420.0000.11.R.20170612`).
 *   Normal form: `2.800.0000000.25.R build 2021-10-15` (upper case, no leading V). numbers = [major, minor,
 *   branch number, revision]: the branch number is the digits of the third field ("0000016" -> 16; "00AC006" -> 6);
 *   the letters of that field are an OEM code (AC = Amcrest, IB = Intelbras, AT = CP PLUS, ...) kept in `oem`.
 *   Old firmware writes the generic branch as "Dahua 00", which counts as no OEM code.
 * - generic: anything else that starts with `<n>.<n>` (optionally after one letter, as in "V" or "B").
 *   numbers = the dotted/dashed numbers at the start ("2.3.8-6" -> [2, 3, 8, 6]).
 */

export type { FirmwareInfo, FirmwareRange, SerialInfo, VersionScheme } from "./common.js";
export { compareFirmware, parseFirmware } from "./firmware.js";
export { inFirmwareRange } from "./range.js";
export { normalizeModel, parseSerial } from "./serial.js";
