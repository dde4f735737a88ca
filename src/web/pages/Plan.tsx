import { useState, type FormEvent } from "react";
import { api } from "../api";
import { DateField, NumberField } from "../components/Field";
import { fieldBinder } from "../components/fieldBinder";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { ErrorMessage, Loading } from "../components/Status";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { PlanResult } from "./PlanResult";

interface PlanQuery {
  phases: number;
  budget: number;
  start: string;
  organization: string;
}

/** The first Monday from today: removal programs start on a working week. */
function nextMonday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

export function PlanPage() {
  const { t } = useI18n();
  usePageTitle("plan.title");
  const [draft, setDraft] = useState<PlanQuery>(() => ({
    phases: 3,
    budget: 100000,
    start: nextMonday(),
    organization: "",
  }));
  const [query, setQuery] = useState<PlanQuery | null>(null);
  const bind = fieldBinder("plan", draft, (k, v) => setDraft({ ...draft, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ ...draft });
  };

  return (
    <>
      <h1>{t("plan.title")}</h1>
      <form onSubmit={submit} aria-labelledby="plan-form-h" data-testid="plan-form">
        <h2 id="plan-form-h">{t("plan.form")}</h2>
        <div className="row">
          <NumberField {...bind("phases")} label={t("plan.phases")} min={1} max={52} step={1} required />
          <NumberField {...bind("budget")} label={t("plan.budget")} min={0} step={1} required />
          <DateField {...bind("start")} label={t("plan.start")} required />
          <OrganizationSelect {...bind("organization")} />
        </div>
        <button type="submit" className="primary" data-testid="plan-submit">
          {t("plan.submit")}
        </button>
      </form>
      {query && <PlanLoader query={query} />}
    </>
  );
}

function PlanLoader({ query }: { query: PlanQuery }) {
  const plan = useApi(
    (s) =>
      api.plan(
        {
          phases: query.phases,
          budget: query.budget,
          start: query.start,
          ...(query.organization ? { organization: query.organization } : {}),
        },
        s,
      ),
    JSON.stringify(query),
  );
  return (
    <>
      <ErrorMessage error={plan.error} onRetry={plan.reload} />
      {plan.loading && <Loading />}
      {plan.data && !plan.loading && <PlanResult plan={plan.data} />}
    </>
  );
}
