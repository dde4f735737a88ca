import type { Lang } from "./model.js";

/**
 * Every fixed string of the HTML and PDF reports, in English and Canadian French, and the locale's number and date
 * formats. A message is a template with `{name}` placeholders, or a pair chosen by Intl plural rules on `{n}`.
 * French follows Canadian usage: a non-breaking space before ":", none before ";".
 */
export type Message = string | { one: string; other: string };

const en = {
  title: "Compliance report: restricted surveillance devices",
  organization: "Organization",
  allOrganizations: "All organizations",
  asOf: "As of",
  generated: "Generated",
  assessment: "Assessment",
  noAssessment: "No assessment has been run",
  policyPacks: "Policy packs",
  auditHead: "Audit log head",
  noAuditHead: "empty log",
  none: "none",

  summary: "Executive summary",
  "fig.devices": "Devices",
  "fig.prohibited": "Prohibited remaining",
  "fig.excepted": "Under exception",
  "fig.removed": "Removed",
  "fig.reopened": "Reopened",
  "fig.kev": "Devices with KEV",
  "s.remain": {
    one: "{n} prohibited device remains on the network",
    other: "{n} prohibited devices remain on the network",
  },
  "s.atSites": { one: " at {n} site", other: " at {n} sites" },
  "s.kev": {
    one: "; {n} carries a known-exploited vulnerability",
    other: "; {n} carry known-exploited vulnerabilities",
  },
  "s.noneRemain": "No prohibited device remains on the network.",
  "s.excepted": {
    one: "{n} prohibited device is kept under an approved exception.",
    other: "{n} prohibited devices are kept under approved exceptions.",
  },
  "s.reopened": {
    one: "{n} removed device was seen again on the network and reopened.",
    other: "{n} removed devices were seen again on the network and reopened.",
  },
  "s.unowned": {
    one: "{n} device is on no site: assign it to an organization so that rules can bind it.",
    other: "{n} devices are on no site: assign them to an organization so that rules can bind them.",
  },
  "s.removed": { one: "{n} device has been removed.", other: "{n} devices have been removed." },
  "s.verified": "Sites verified clear after their last removal: {k} of {m}.",

  plan: "Replacement plan",
  noPlan: "No replacement plan has been saved.",
  "plan.line": {
    one: "{n} phase from {start} to {end}; total cost {cost}; budget: {budget}.",
    other: "{n} phases from {start} to {end}; total cost {cost}; budget: {budget}.",
  },
  "plan.unlimited": "no limit",
  "plan.unfunded": {
    one: "{n} device could not be funded within the plan ({cost}).",
    other: "{n} devices could not be funded within the plan ({cost}).",
  },
  "plan.warnings": "Planner warnings",
  "plan.untranslated": "{text}",
  "w.budgetShort": {
    one: "The budget of {budget} funds {funded} of {n} device; replacing it needs at least {needed} (one visit per site), {more} more.",
    other:
      "The budget of {budget} funds {funded} of {n} devices; replacing all of them needs at least {needed} (one visit per site), {more} more.",
  },
  "w.phaseBudget": {
    one: "The budget of {budget} would cover {n} device ({needed} with one visit per site), but not within each phase's {phaseBudget}: ",
    other:
      "The budget of {budget} would cover {n} devices ({needed} with one visit per site), but not within each phase's {phaseBudget}: ",
  },
  "w.stayUnfunded": { one: "{n} device stays unfunded.", other: "{n} devices stay unfunded." },
  "w.tooDear": {
    one: "{n} device costs more than a phase's budget of {phaseBudget} on its own (with travel), so no phase can fund it: {ids}.",
    other:
      "{n} devices cost more than a phase's budget of {phaseBudget} on their own (with travel), so no phase can fund them: {ids}.",
  },
  "w.moreIds": { one: "{ids} and {n} more", other: "{ids} and {n} more" },
  "w.late": {
    one: "Phase {phase} ({start} to {end}): {n} device due before it ends, on {earliest}.",
    other: "Phase {phase} ({start} to {end}): {n} devices due before it ends, the earliest on {earliest}.",
  },
  "w.unfundedDeadlines": {
    one: "{n} unfunded device has a policy deadline, {earliest}",
    other: "{n} unfunded devices have policy deadlines, the earliest {earliest}",
  },
  "w.itDueBeforeEnd": "; it falls due before the plan ends on {planEnd}",
  "w.dueBeforeEnd": {
    one: "; {n} of them falls due before the plan ends on {planEnd}",
    other: "; {n} of them fall due before the plan ends on {planEnd}",
  },
  "w.fund": {
    one: ": fund it or the deadline will be missed.",
    other: ": fund them or the deadlines will be missed.",
  },
  "w.siteless": {
    one: "{n} restricted device on no site is not in the plan: assign its segment to a site and assess again.",
    other:
      "{n} restricted devices on no site are not in the plan: assign their segments to sites and assess again.",
  },
  "col.phase": "Phase",
  "col.start": "Start",
  "col.end": "End",
  "col.cost": "Cost",
  "col.budget": "Budget",
  "col.late": "Past deadline",

  charts: "Charts",
  "chart.status": "Status by organization",
  "chart.burnDown": "Prohibited devices remaining over time",
  "chart.manufacturers": "Devices by manufacturer",
  "chart.planVsActual": "Planned and actual removals by phase",
  noData: "No data to chart.",
  "legend.actual": "Actual",
  "legend.planned": "Planned",
  "legend.removed": "Removed",
  "legend.otherDevices": "Other devices",
  otherManufacturers: "Other",
  unknown: "Unknown",
  phaseN: "Phase {n}",

  "status.prohibited": "Prohibited",
  "status.excepted": "Excepted",
  "status.advisory": "Advisory",
  "status.allowed": "Allowed",
  "status.unowned": "Unowned",
  "status.removed": "Removed",
  "status.notAssessed": "Not assessed",

  "workflow.identified": "Identified",
  "workflow.confirmed": "Confirmed",
  "workflow.scheduled": "Scheduled",
  "workflow.isolated": "Isolated",
  "workflow.removed": "Removed",
  "workflow.sanitized": "Media sanitized",
  "workflow.closed": "Closed",
  "workflow.reopened": "Reopened",

  "exception.requested": "Requested",
  "exception.approved": "Approved",
  "exception.rejected": "Rejected",
  "exception.revoked": "Revoked",
  "exception.expired": "Expired",
  "exception.until": "{state} until {date}",
  "devices.shown":
    "{shown} of this site's {total} devices are listed, those needing action first; every device is in the CSV and XLSX exports (camsweep report --format csv).",
  "devices.none-shown":
    "None of this site's devices needs action before those listed above; every device is in the CSV and XLSX exports (camsweep report --format csv).",

  "criticality.low": "Low",
  "criticality.normal": "Normal",
  "criticality.high": "High",
  "criticality.critical": "Critical",
  "risk.low": "low",
  "risk.medium": "medium",
  "risk.high": "high",
  "risk.critical": "critical",
  "orgType.federal-department": "Federal department",
  "orgType.agency": "Agency",
  "orgType.crown-corporation": "Crown corporation",
  "orgType.provincial": "Provincial",
  "orgType.municipal": "Municipal",
  "orgType.private": "Private company",

  organizations: "Organizations and sites",
  noSiteOrganization: "Devices on no site",
  noSite: "No site",
  jurisdiction: "Jurisdiction",
  type: "Type",
  "col.site": "Site",
  "col.criticality": "Criticality",
  "col.devices": "Devices",
  "col.prohibited": "Prohibited",
  "col.excepted": "Excepted",
  "col.advisory": "Advisory",
  "col.removed": "Removed",
  "col.kev": "KEV",
  "col.verifiedClear": "Verified clear",
  "col.lastSweep": "Last sweep",
  yes: "Yes",
  no: "No",

  devices: "Devices by site",
  noDevices: "No devices.",
  continued: "(continued)",
  "col.address": "Address / host",
  "col.maker": "Manufacturer / brand",
  "col.model": "Model",
  "col.firmware": "Firmware",
  "col.status": "Status",
  "col.risk": "Risk",
  "col.workflow": "Workflow",
  "col.exception": "Exception",

  method: "Method",
  "method.prohibited":
    "a policy pack that binds the device's organization forbids this equipment, and the device is still on the network.",
  "method.excepted":
    "prohibited, but covered by an approved exception that had not expired on the as-of date.",
  "method.advisory": "a policy pack recommends against this equipment without forbidding it.",
  "method.allowed": "no policy pack applied to the device restricts it.",
  "method.unowned": "the device is on no site, so no organization's rules can be said to bind it.",
  "method.removed":
    "recorded removed, its storage media sanitized or its file closed; a removed device seen again by a later scan or import is reopened.",
  "method.verifiedClear": "a full sweep of the site finished after its last removal.",
  "method.kev":
    "known exploited vulnerabilities (CISA KEV catalogue) that match the device's model and firmware.",
  "method.trace":
    "Every verdict traces to the policy packs listed on the first page, each named by its SHA-256. The audit log head shown there ties this report to the tamper-evident audit log.",
  "method.footnote":
    "camsweep only observed the devices: nothing on any device was changed to produce this report.",
  page: "Page {page} of {pages}",

  "cover.bookmark": "Cover",
  "cover.version": "English version",
  "cover.onPage": "page {page}",
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, Message> = {
  title: "Rapport de conformité\u00a0: appareils de surveillance visés par des restrictions",
  organization: "Organisation",
  allOrganizations: "Toutes les organisations",
  asOf: "En date du",
  generated: "Produit le",
  assessment: "Évaluation",
  noAssessment: "Aucune évaluation n'a été effectuée",
  policyPacks: "Ensembles de politiques",
  auditHead: "Dernière entrée du journal d'audit",
  noAuditHead: "journal vide",
  none: "aucun",

  summary: "Résumé",
  "fig.devices": "Appareils",
  "fig.prohibited": "Appareils interdits restants",
  "fig.excepted": "Sous dérogation",
  "fig.removed": "Retirés",
  "fig.reopened": "Rouverts",
  "fig.kev": "Appareils avec KEV",
  "s.remain": {
    one: "{n} appareil interdit reste sur le réseau",
    other: "{n} appareils interdits restent sur le réseau",
  },
  "s.atSites": { one: ", dans {n} site", other: ", dans {n} sites" },
  "s.kev": {
    one: "; {n} présente une vulnérabilité exploitée connue",
    other: "; {n} présentent des vulnérabilités exploitées connues",
  },
  "s.noneRemain": "Aucun appareil interdit ne reste sur le réseau.",
  "s.excepted": {
    one: "{n} appareil interdit est maintenu en place en vertu d'une dérogation approuvée.",
    other: "{n} appareils interdits sont maintenus en place en vertu de dérogations approuvées.",
  },
  "s.reopened": {
    one: "{n} appareil retiré a été détecté de nouveau sur le réseau et rouvert.",
    other: "{n} appareils retirés ont été détectés de nouveau sur le réseau et rouverts.",
  },
  "s.unowned": {
    one: "{n} appareil n'est rattaché à aucun site\u00a0: rattachez-le à une organisation pour que les règles s'y appliquent.",
    other:
      "{n} appareils ne sont rattachés à aucun site\u00a0: rattachez-les à une organisation pour que les règles s'y appliquent.",
  },
  "s.removed": { one: "{n} appareil a été retiré.", other: "{n} appareils ont été retirés." },
  "s.verified": "Sites dont l'absence d'appareils est vérifiée depuis le dernier retrait\u00a0: {k} sur {m}.",

  plan: "Plan de remplacement",
  noPlan: "Aucun plan de remplacement n'a été enregistré.",
  "plan.line": {
    one: "{n} phase du {start} au {end}; coût total {cost}; budget\u00a0: {budget}.",
    other: "{n} phases du {start} au {end}; coût total {cost}; budget\u00a0: {budget}.",
  },
  "plan.unlimited": "aucune limite",
  "plan.unfunded": {
    one: "{n} appareil n'a pas pu être financé dans le cadre du plan ({cost}).",
    other: "{n} appareils n'ont pas pu être financés dans le cadre du plan ({cost}).",
  },
  "plan.warnings": "Avertissements du planificateur",
  "plan.untranslated": "{text} (en anglais seulement)",
  "w.budgetShort": {
    one: "Le budget de {budget} finance {funded} appareil sur {n}; le remplacer exige au moins {needed} (une visite par site), soit {more} de plus.",
    other:
      "Le budget de {budget} finance {funded} appareils sur {n}; les remplacer tous exige au moins {needed} (une visite par site), soit {more} de plus.",
  },
  "w.phaseBudget": {
    one: "Le budget de {budget} couvrirait {n} appareil ({needed} avec une visite par site), mais pas dans la part de {phaseBudget} de chaque phase\u00a0: ",
    other:
      "Le budget de {budget} couvrirait {n} appareils ({needed} avec une visite par site), mais pas dans la part de {phaseBudget} de chaque phase\u00a0: ",
  },
  "w.stayUnfunded": { one: "{n} appareil reste non financé.", other: "{n} appareils restent non financés." },
  "w.tooDear": {
    one: "{n} appareil coûte à lui seul plus que le budget d'une phase, {phaseBudget} (déplacement compris); aucune phase ne peut donc le financer\u00a0: {ids}.",
    other:
      "{n} appareils coûtent chacun plus que le budget d'une phase, {phaseBudget} (déplacement compris); aucune phase ne peut donc les financer\u00a0: {ids}.",
  },
  "w.moreIds": { one: "{ids} et {n} autre", other: "{ids} et {n} autres" },
  "w.late": {
    one: "Phase {phase} (du {start} au {end})\u00a0: {n} appareil arrive à échéance avant la fin de la phase, le {earliest}.",
    other:
      "Phase {phase} (du {start} au {end})\u00a0: {n} appareils arrivent à échéance avant la fin de la phase, le premier le {earliest}.",
  },
  "w.unfundedDeadlines": {
    one: "{n} appareil non financé a une échéance réglementaire, le {earliest}",
    other: "{n} appareils non financés ont des échéances réglementaires, la première le {earliest}",
  },
  "w.itDueBeforeEnd": "; elle tombe avant la fin du plan, le {planEnd}",
  "w.dueBeforeEnd": {
    one: "; {n} d'entre eux arrive à échéance avant la fin du plan, le {planEnd}",
    other: "; {n} d'entre eux arrivent à échéance avant la fin du plan, le {planEnd}",
  },
  "w.fund": {
    one: "\u00a0: financez-le, sinon l'échéance sera dépassée.",
    other: "\u00a0: financez-les, sinon les échéances seront dépassées.",
  },
  "w.siteless": {
    one: "{n} appareil visé par des restrictions n'est rattaché à aucun site et ne figure pas dans le plan\u00a0: rattachez son segment à un site, puis refaites l'évaluation.",
    other:
      "{n} appareils visés par des restrictions ne sont rattachés à aucun site et ne figurent pas dans le plan\u00a0: rattachez leurs segments à des sites, puis refaites l'évaluation.",
  },
  "col.phase": "Phase",
  "col.start": "Début",
  "col.end": "Fin",
  "col.cost": "Coût",
  "col.budget": "Budget",
  "col.late": "Échéance dépassée",

  charts: "Graphiques",
  "chart.status": "Statut par organisation",
  "chart.burnDown": "Appareils interdits restants au fil du temps",
  "chart.manufacturers": "Appareils par fabricant",
  "chart.planVsActual": "Retraits prévus et réels par phase",
  noData: "Aucune donnée à représenter.",
  "legend.actual": "Réel",
  "legend.planned": "Prévu",
  "legend.removed": "Retirés",
  "legend.otherDevices": "Autres appareils",
  otherManufacturers: "Autres",
  unknown: "Inconnu",
  phaseN: "Phase {n}",

  "status.prohibited": "Interdit",
  "status.excepted": "Sous dérogation",
  "status.advisory": "Consultatif",
  "status.allowed": "Autorisé",
  "status.unowned": "Sans propriétaire",
  "status.removed": "Retiré",
  "status.notAssessed": "Non évalué",

  "workflow.identified": "Identifié",
  "workflow.confirmed": "Confirmé",
  "workflow.scheduled": "Planifié",
  "workflow.isolated": "Isolé",
  "workflow.removed": "Retiré",
  "workflow.sanitized": "Assaini",
  "workflow.closed": "Fermé",
  "workflow.reopened": "Rouvert",

  "exception.requested": "Demandée",
  "exception.approved": "Approuvée",
  "exception.rejected": "Refusée",
  "exception.revoked": "Révoquée",
  "exception.expired": "Expirée",
  "exception.until": "{state} jusqu'au {date}",
  "devices.shown":
    "{shown} des {total} appareils de ce site sont énumérés, ceux qui demandent une action d'abord; tous les appareils figurent dans les exports CSV et XLSX (camsweep report --format csv).",
  "devices.none-shown":
    "Aucun appareil de ce site ne demande d'action avant ceux énumérés plus haut; tous les appareils figurent dans les exports CSV et XLSX (camsweep report --format csv).",

  "criticality.low": "Faible",
  "criticality.normal": "Normale",
  "criticality.high": "Élevée",
  "criticality.critical": "Critique",
  "risk.low": "faible",
  "risk.medium": "moyen",
  "risk.high": "élevé",
  "risk.critical": "critique",
  "orgType.federal-department": "Ministère fédéral",
  "orgType.agency": "Organisme",
  "orgType.crown-corporation": "Société d'État",
  "orgType.provincial": "Provincial",
  "orgType.municipal": "Municipal",
  "orgType.private": "Entreprise privée",

  organizations: "Organisations et sites",
  noSiteOrganization: "Appareils sans site",
  noSite: "Aucun site",
  jurisdiction: "Compétence",
  type: "Type",
  "col.site": "Site",
  "col.criticality": "Criticité",
  "col.devices": "Appareils",
  "col.prohibited": "Interdits",
  "col.excepted": "Dérogations",
  "col.advisory": "Consultatifs",
  "col.removed": "Retirés",
  "col.kev": "KEV",
  "col.verifiedClear": "Absence vérifiée",
  "col.lastSweep": "Dernier balayage",
  yes: "Oui",
  no: "Non",

  devices: "Appareils par site",
  noDevices: "Aucun appareil.",
  continued: "(suite)",
  "col.address": "Adresse / hôte",
  "col.maker": "Fabricant / marque",
  "col.model": "Modèle",
  "col.firmware": "Micrologiciel",
  "col.status": "Statut",
  "col.risk": "Risque",
  "col.workflow": "Étape",
  "col.exception": "Dérogation",

  method: "Méthode",
  "method.prohibited":
    "un ensemble de politiques qui s'applique à l'organisation de l'appareil interdit ce matériel, et l'appareil est toujours sur le réseau.",
  "method.excepted":
    "interdit, mais visé par une dérogation approuvée qui n'était pas expirée à la date du rapport.",
  "method.advisory": "un ensemble de politiques déconseille ce matériel sans l'interdire.",
  "method.allowed": "aucun ensemble de politiques appliqué à l'appareil ne le restreint.",
  "method.unowned":
    "l'appareil n'est rattaché à aucun site; aucune règle d'organisation ne peut donc être réputée s'y appliquer.",
  "method.removed":
    "retrait consigné, supports de stockage assainis ou dossier fermé; un appareil retiré que détecte un balayage ou une importation ultérieure est rouvert.",
  "method.verifiedClear": "un balayage complet du site s'est terminé après son dernier retrait.",
  "method.kev":
    "vulnérabilités dont l'exploitation est connue (catalogue KEV de la CISA) qui correspondent au modèle et au micrologiciel de l'appareil.",
  "method.trace":
    "Chaque verdict découle des ensembles de politiques énumérés en première page, chacun désigné par son empreinte SHA-256. La dernière entrée du journal d'audit qui y figure rattache ce rapport au journal d'audit inviolable.",
  "method.footnote":
    "camsweep n'a fait qu'observer les appareils\u00a0: rien n'a été modifié sur aucun appareil pour produire ce rapport.",
  page: "Page {page} de {pages}",

  "cover.bookmark": "Couverture",
  "cover.version": "Version française",
  "cover.onPage": "page {page}",
};

export const MESSAGES: Record<Lang, Record<MessageKey, Message>> = { en, fr };

/** "Label: value", with French's non-breaking space before the colon. */
export function labelled(lang: Lang, label: string, value: string): string {
  return `${label}${lang === "fr" ? "\u00a0:" : ":"} ${value}`;
}

const LOCALES: Record<Lang, string> = { en: "en-CA", fr: "fr-CA" };

export function locale(lang: Lang): string {
  return LOCALES[lang];
}

/**
 * The message `key` in `lang` with its `{name}` placeholders filled. A plural message picks its form by `vars.n`.
 * Values are inserted raw: the renderer escapes the whole result for its format.
 */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const m = MESSAGES[lang][key];
  const template =
    typeof m === "string"
      ? m
      : new Intl.PluralRules(locale(lang)).select(Number(vars["n"] ?? 0)) === "one"
        ? m.one
        : m.other;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) return whole;
    return typeof v === "number" ? formatNumber(v, lang) : v;
  });
}

/**
 * Intl's French groups digits with a narrow no-break space (U+202F) in some ICU versions, which the PDF's WinAnsi
 * fonts lack: every such space becomes U+00A0, which both formats show.
 */
function plainSpaces(s: string): string {
  return s.replace(/[\u202f\u2009]/g, "\u00a0");
}

export function formatNumber(n: number, lang: Lang): string {
  return plainSpaces(new Intl.NumberFormat(locale(lang)).format(n));
}

/** An amount in the plan's currency, whole units; a code Intl refuses is printed after the number. */
export function formatMoney(n: number, currency: string, lang: Lang): string {
  try {
    return plainSpaces(
      new Intl.NumberFormat(locale(lang), { style: "currency", currency, maximumFractionDigits: 0 }).format(
        n,
      ),
    );
  } catch {
    return `${formatNumber(Math.round(n), lang)} ${currency}`;
  }
}

/** A day (YYYY-MM-DD, or the day of an ISO timestamp): "2026-11-22" short, "November 22, 2026" / "22 novembre 2026" long. */
export function formatDate(iso: string, lang: Lang, style: "short" | "long" = "short"): string {
  const day = iso.slice(0, 10);
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  if (style === "short") return day;
  return plainSpaces(new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "UTC" }).format(d));
}

/** A timestamp in UTC: "2026-11-22 14:03 UTC" / "2026-11-22 14 h 03 UTC". */
export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat(locale(lang), {
    timeStyle: "short",
    timeZone: "UTC",
    hourCycle: "h23",
  }).format(d);
  return plainSpaces(`${d.toISOString().slice(0, 10)} ${time} UTC`);
}
