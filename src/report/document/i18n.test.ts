import { describe, expect, it } from "vitest";
import type { PlanWarning } from "../../plan/warnings.js";
import { formatDate, formatDateTime, formatMoney, formatNumber, MESSAGES, t, type Message } from "./i18n.js";
import { planWarningText } from "./plan-warnings.js";

const placeholders = (m: Message) =>
  [...(typeof m === "string" ? m : `${m.one} ${m.other}`).matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

describe("message catalogue", () => {
  it("has every key in both languages, in the same shape, with the same placeholders", () => {
    const en = MESSAGES.en;
    const fr = MESSAGES.fr;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const a = en[key];
      const b = fr[key];
      expect(typeof b, key).toBe(typeof a);
      for (const m of [a, b]) {
        const forms = typeof m === "string" ? [m] : [m.one, m.other];
        for (const f of forms) expect(f.trim(), key).not.toBe("");
      }
      expect(new Set(placeholders(b)), key).toEqual(new Set(placeholders(a)));
    }
  });

  it("translates the statuses and workflow steps with their accents", () => {
    expect(t("fr", "status.prohibited")).toBe("Interdit");
    expect(t("fr", "status.advisory")).toBe("Consultatif");
    expect(t("fr", "status.allowed")).toBe("Autorisé");
    expect(t("fr", "status.unowned")).toBe("Sans propriétaire");
    expect(t("fr", "workflow.sanitized")).toBe("Assaini");
    expect(t("fr", "workflow.scheduled")).toBe("Planifié");
    expect(t("fr", "exception.rejected")).toBe("Refusée");
  });

  it("picks plural forms by the locale's rules and formats the count", () => {
    expect(t("en", "s.remain", { n: 1 })).toBe("1 prohibited device remains on the network");
    expect(t("en", "s.remain", { n: 0 })).toBe("0 prohibited devices remain on the network");
    // French counts 0 and 1 as singular.
    expect(t("fr", "s.remain", { n: 0 })).toBe("0 appareil interdit reste sur le réseau");
    expect(spaces(t("fr", "s.remain", { n: 1234 }))).toBe("1 234 appareils interdits restent sur le réseau");
    expect(t("en", "page", { page: 2, pages: 9 })).toBe("Page 2 of 9");
    expect(t("fr", "page", { page: 2, pages: 9 })).toBe("Page 2 de 9");
  });
});

/** ICU versions differ in which space they put where; the report only needs one the PDF fonts have (not U+202F). */
const spaces = (s: string) => {
  expect(s).not.toMatch(/[\u202f\u2009]/);
  return s.replace(/\s/g, " ");
};

describe("locale formats", () => {
  it("groups digits with a space in French and a comma in English", () => {
    expect(spaces(formatNumber(1234567, "fr"))).toBe("1 234 567");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
  });

  it("writes money in the plan's currency, and a currency Intl refuses after the number", () => {
    expect(formatMoney(47850, "CAD", "en")).toBe("$47,850");
    expect(spaces(formatMoney(47850, "CAD", "fr"))).toBe("47 850 $");
    expect(formatMoney(12, "not-a-code", "en")).toBe("12 not-a-code");
  });

  it("writes days as ISO short and as the locale's long date", () => {
    expect(formatDate("2026-11-22", "fr")).toBe("2026-11-22");
    expect(formatDate("2026-11-22", "fr", "long")).toBe("22 novembre 2026");
    expect(formatDate("2026-11-22", "en", "long")).toBe("November 22, 2026");
    expect(spaces(formatDateTime("2026-11-22T14:03:27Z", "fr"))).toBe("2026-11-22 14 h 03 UTC");
    expect(formatDateTime("2026-11-22T14:03:27Z", "en")).toBe("2026-11-22 14:03 UTC");
  });
});

describe("planner warnings", () => {
  const all: PlanWarning[] = [
    {
      code: "budget-short",
      params: { budget: 300, funded: 1, devices: 1, needed: 550, more: 250 },
      text: "",
    },
    {
      code: "phase-budget",
      params: { budget: 1000, devices: 1, needed: 550, phaseBudget: 500, unfunded: 1 },
      text: "",
    },
    { code: "too-dear", params: { devices: 1, phaseBudget: 300, ids: ["dev-1"], moreIds: 0 }, text: "" },
    {
      code: "late-in-phase",
      params: { phase: 2, start: "2026-04-01", end: "2026-06-29", devices: 3, earliest: "2026-05-01" },
      text: "",
    },
    {
      code: "unfunded-deadlines",
      params: { devices: 2, earliest: "2026-03-01", dueBeforeEnd: 1, planEnd: "2026-06-29" },
      text: "",
    },
    { code: "siteless", params: { devices: 1 }, text: "" },
  ];

  it("says every code in both languages, every placeholder filled", () => {
    for (const w of all)
      for (const lang of ["en", "fr"] as const) {
        const s = planWarningText(w, lang, "CAD");
        expect(s, `${w.code} ${lang}`).not.toMatch(/[{}]/);
        expect(s.length, `${w.code} ${lang}`).toBeGreaterThan(30);
      }
  });

  it("follows French usage: plurals, fr-CA money, a non-breaking space before a colon", () => {
    const text = (i: number, lang: "en" | "fr") => spaces(planWarningText(all[i]!, lang, "CAD"));
    expect(text(1, "fr")).toBe(
      "Le budget de 1 000 $ couvrirait 1 appareil (550 $ avec une visite par site), mais pas dans la part de 500 $ de chaque phase : 1 appareil reste non financé.",
    );
    expect(text(1, "en")).toBe(
      "The budget of $1,000 would cover 1 device ($550 with one visit per site), but not within each phase's $500: 1 device stays unfunded.",
    );
    expect(text(3, "fr")).toBe(
      "Phase 2 (du 2026-04-01 au 2026-06-29) : 3 appareils arrivent à échéance avant la fin de la phase, le premier le 2026-05-01.",
    );
    expect(text(4, "fr")).toBe(
      "2 appareils non financés ont des échéances réglementaires, la première le 2026-03-01; 1 d'entre eux arrive à échéance avant la fin du plan, le 2026-06-29 : financez-les, sinon les échéances seront dépassées.",
    );
    expect(planWarningText(all[4]!, "fr", "CAD")).toContain("\u00a0: financez-les");
    expect(text(4, "en")).toBe(
      "2 unfunded devices have policy deadlines, the earliest 2026-03-01; 1 of them falls due before the plan ends on 2026-06-29: fund them or the deadlines will be missed.",
    );
  });

  it("shows an uncoded warning as its English text, and says so in French", () => {
    expect(planWarningText({ code: null, text: "old" }, "en", "CAD")).toBe("old");
    expect(planWarningText({ code: null, text: "old" }, "fr", "CAD")).toBe("old (en anglais seulement)");
  });
});
