import { en, type MessageKey, type Messages } from "./en";
import { fr } from "./fr";

/** Pure translation and formatting, so it is unit-tested in Node; i18n/context.tsx puts it in React. */

export const LANGS = ["en", "fr"] as const;
export type Lang = (typeof LANGS)[number];

export const DICTIONARIES: Record<Lang, Messages> = { en, fr };
const LOCALES: Record<Lang, string> = { en: "en-CA", fr: "fr-CA" };

export type Vars = Record<string, string | number>;

/** Fills {name} placeholders; an unknown placeholder stays as written, so a mistake shows rather than vanishes. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/** A key the dictionary lacks (a state the server added after this build) shows as itself, never as a crash. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return interpolate((DICTIONARIES[lang] as Partial<Messages>)[key] ?? key, vars);
}

/** Keys with `.one` and `.other` forms: French puts 0 and 1 in `one`, English only 1. */
type PluralBase = {
  [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];

export function translatePlural(lang: Lang, base: PluralBase, count: number, vars: Vars = {}): string {
  const form = new Intl.PluralRules(LOCALES[lang]).select(count) === "one" ? "one" : "other";
  const key = `${base}.${form}` as MessageKey;
  return interpolate(translate(lang, key), { ...vars, count: formatNumber(lang, count) });
}

export type { PluralBase };

export function formatNumber(lang: Lang, n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(LOCALES[lang], opts).format(n);
}

export const formatPercent = (lang: Lang, ratio: number): string =>
  formatNumber(lang, ratio, { style: "percent", maximumFractionDigits: 0 });

export const formatMoney = (lang: Lang, amount: number): string =>
  formatNumber(lang, amount, { style: "currency", currency: "CAD", maximumFractionDigits: 0 });

/** Bytes in the units a reader expects (kB, MB...), one decimal. */
export function formatBytes(lang: Lang, bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return formatNumber(lang, v, {
    style: "unit",
    unit: units[i],
    unitDisplay: "short",
    maximumFractionDigits: 1,
  });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day (YYYY-MM-DD) is shown as that day everywhere: read and formatted in UTC, never shifted. */
export function formatDate(lang: Lang, value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(DAY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: "medium",
    ...(DAY.test(value) ? { timeZone: "UTC" } : {}),
  }).format(d);
}

export function formatDateTime(lang: Lang, value: string | null | undefined): string {
  if (!value) return "";
  if (DAY.test(value)) return formatDate(lang, value);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short" }).format(d);
}
