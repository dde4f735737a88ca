/** Serial numbers (Hikvision serials embed the model and a date) and model normalisation. */
import { dateFromDigits, MAX_MODEL, MAX_SERIAL, num, schemeHint, type SerialInfo } from "./common.js";

// Hikvision serial: model + yyyymmdd + 4 letters + unit serial. The model is everything before the date, which is
// the 8 digits right before the 4-letter code; recorders then end the "model" with their 2-digit channel count.
const HIK_SERIAL_RE = /^(.{2,72}?)((?:19|20)\d{6})([A-Z]{4})([A-Z0-9]{9,24})$/;
const HIK_SERIAL_TAIL_RE = /^(\d{2})?((?:19|20)\d{6})([A-Z]{4})([A-Z0-9]{9,24})$/;
// Recorder families whose serials carry the channel count (DS-7xxx NVR/DVR, DS-8xxx/DS-9xxx, AcuSense iDS-7xxx).
const HIK_RECORDER_RE = /^i?DS-[6-9]/i;

function hikSerial(
  raw: string,
  model: string,
  ch: string | undefined,
  date: string,
  code: string,
  unit: string,
): SerialInfo | null {
  const iso = dateFromDigits(date);
  if (!iso) return null;
  const info: SerialInfo = { raw, model, date: iso, code, sequence: unit, scheme: "hikvision" };
  if (ch !== undefined) info.channels = num(ch);
  return info;
}

/**
 * Parses a serial number. Hikvision serials embed the model and the manufacture date (protocols.md §4.3):
 * `DS-2CD2320D-I` `20180919` `AACH` `C52932642`; recorders put 2 digits between model and date
 * (`DS-7608NI-I2/8P` `08` `20190316` `CCRR` `D00675487WCVU`). That shape is recognised with or without a
 * manufacturer; pass `knownModel` (from deviceInfo or SADP) to split it exactly. Dahua serials (15, sometimes 14,
 * alphanumerics) carry no documented fields: with a Dahua hint they are scheme "dahua" and nothing more. Anything
 * else printable is "generic". Returns null for junk (empty, control characters, spaces only, over 96 characters).
 */
export function parseSerial(
  raw: string,
  manufacturer?: string | null,
  knownModel?: string | null,
): SerialInfo | null {
  try {
    if (typeof raw !== "string" || raw.length > 4 * MAX_SERIAL) return null;
    const s = raw.trim();
    if (s.length < 3 || s.length > MAX_SERIAL || !/^[\x21-\x7e]+$/.test(s)) return null;
    if (!/[A-Za-z0-9]/.test(s)) return null;
    const hint = schemeHint(manufacturer);

    if (typeof knownModel === "string" && knownModel.trim()) {
      const model = knownModel.trim();
      if (s.length > model.length && s.slice(0, model.length).toUpperCase() === model.toUpperCase()) {
        const t = HIK_SERIAL_TAIL_RE.exec(s.slice(model.length));
        if (t) {
          const info = hikSerial(s, s.slice(0, model.length), t[1], t[2] ?? "", t[3] ?? "", t[4] ?? "");
          if (info) return info;
        }
      }
    }
    const m = HIK_SERIAL_RE.exec(s);
    if (m) {
      let model = m[1] ?? "";
      let ch: string | undefined;
      if (HIK_RECORDER_RE.test(model) && /\d{2}$/.test(model) && model.length > 8) {
        ch = model.slice(-2);
        model = model.slice(0, -2);
      }
      const modelLike =
        /^[A-Za-z][A-Za-z0-9\-/()]+$/.test(model) && (hint === "hikvision" || model.includes("-"));
      if (modelLike) {
        const info = hikSerial(s, model, ch, m[2] ?? "", m[3] ?? "", m[4] ?? "");
        if (info) return info;
      }
    }
    if (hint === "dahua" && /^[0-9A-Z]{12,16}$/.test(s)) return { raw: s, scheme: "dahua" };
    return { raw: s, scheme: "generic" };
  } catch {
    return null;
  }
}

/**
 * Normalises a model name: control characters removed, whitespace collapsed, at most 64 characters, and a
 * leading maker name dropped ("HIKVISION DS-2CD2142FWD-I", "Dahua Technology Co., LTD DH-IPC-HDBW2320RN-ZS").
 * - Hikvision (hint, or a `DS-`/`iDS-` model): upper case, keeping the lower-case `i` of AcuSense `iDS-` models.
 * - Dahua (hint, or a `DH-`/`DHI-` prefix): upper case, and the `DH-`/`DHI-` prefix is stripped: it marks the
 *   Dahua-branded (DH-) or international (DHI-) listing of the same hardware, and vulnerabilities.json, DHIP
 *   DeviceType and NVD name the same model with and without it ("DH-IPC-HDW1230T2" -> "IPC-HDW1230T2").
 * - Anything else keeps its case.
 * Returns "" for input that is not a string or has nothing left.
 */
export function normalizeModel(raw: string, manufacturer?: string | null): string {
  try {
    if (typeof raw !== "string") return "";
    let s = raw
      .slice(0, 4 * MAX_MODEL)
      .replace(/[\u0000-\u001f\u007f]/g, " ")
      .trim()
      .replace(/\s+/g, " ");
    s = s.replace(/^(?:hikvision|dahua(?: technology co\.?,? ?ltd\.?)?) (?=\S)/i, "");
    s = s.slice(0, MAX_MODEL).trim();
    if (!s) return "";
    const hint = schemeHint(manufacturer);
    if (hint === "hikvision" || /^i?DS-/i.test(s)) {
      const up = s.toUpperCase();
      return /^ids-/i.test(s) ? `i${up.slice(1)}` : up;
    }
    if (hint === "dahua" || /^DHI?-/i.test(s)) {
      const up = s.toUpperCase();
      const stripped = up.replace(/^DHI?-(?=\S)/, "");
      return stripped || up;
    }
    return s;
  } catch {
    return "";
  }
}
