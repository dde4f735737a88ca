import type { PlanWarning, TextWarning } from "../../plan/warnings.js";
import { formatDate, formatMoney, formatNumber, t } from "./i18n.js";
import type { Lang } from "./model.js";

/**
 * A planner warning in the report's language, built from its code and figures with the locale's number, money and
 * date formats. A warning without a code (a plan saved before codes, or a code this version does not know) can only
 * be shown as its English text, and the French report says so.
 */
export function planWarningText(w: PlanWarning | TextWarning, lang: Lang, currency: string): string {
  const money = (n: number) => formatMoney(n, currency, lang);
  const day = (d: string) => formatDate(d, lang);
  switch (w.code) {
    case null:
      return t(lang, "plan.untranslated", { text: w.text });
    case "budget-short": {
      const p = w.params;
      return t(lang, "w.budgetShort", {
        n: p.devices,
        budget: money(p.budget),
        funded: formatNumber(p.funded, lang),
        needed: money(p.needed),
        more: money(p.more),
      });
    }
    case "phase-budget": {
      const p = w.params;
      return (
        t(lang, "w.phaseBudget", {
          n: p.devices,
          budget: money(p.budget),
          needed: money(p.needed),
          phaseBudget: money(p.phaseBudget),
        }) + t(lang, "w.stayUnfunded", { n: p.unfunded })
      );
    }
    case "too-dear": {
      const p = w.params;
      const ids = p.ids.join(", ");
      return t(lang, "w.tooDear", {
        n: p.devices,
        phaseBudget: money(p.phaseBudget),
        ids: p.moreIds > 0 ? t(lang, "w.moreIds", { ids, n: p.moreIds }) : ids,
      });
    }
    case "late-in-phase": {
      const p = w.params;
      return t(lang, "w.late", {
        n: p.devices,
        phase: formatNumber(p.phase, lang),
        start: day(p.start),
        end: day(p.end),
        earliest: day(p.earliest),
      });
    }
    case "unfunded-deadlines": {
      const p = w.params;
      const planEnd = day(p.planEnd);
      const due =
        p.dueBeforeEnd === 0
          ? ""
          : p.devices === 1
            ? t(lang, "w.itDueBeforeEnd", { planEnd })
            : t(lang, "w.dueBeforeEnd", { n: p.dueBeforeEnd, planEnd });
      return (
        t(lang, "w.unfundedDeadlines", { n: p.devices, earliest: day(p.earliest) }) +
        due +
        t(lang, "w.fund", { n: p.devices })
      );
    }
    case "siteless":
      return t(lang, "w.siteless", { n: w.params.devices });
  }
}
