import { useState, type FormEvent } from "react";
import { api } from "../api";
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
          <div className="field">
            <label htmlFor="plan-phases">{t("plan.phases")}</label>
            <input
              id="plan-phases"
              type="number"
              min={1}
              max={52}
              step={1}
              required
              value={draft.phases}
              onChange={(e) => setDraft({ ...draft, phases: e.target.valueAsNumber })}
              data-testid="plan-phases"
            />
          </div>
          <div className="field">
            <label htmlFor="plan-budget">{t("plan.budget")}</label>
            <input
              id="plan-budget"
              type="number"
              min={0}
              step={1}
              required
              value={draft.budget}
              onChange={(e) => setDraft({ ...draft, budget: e.target.valueAsNumber })}
              data-testid="plan-budget"
            />
          </div>
          <div className="field">
            <label htmlFor="plan-start">{t("plan.start")}</label>
            <input
              id="plan-start"
              type="date"
              required
              value={draft.start}
              onChange={(e) => setDraft({ ...draft, start: e.target.value })}
              data-testid="plan-start"
            />
          </div>
          <OrganizationSelect
            id="plan-organization"
            value={draft.organization}
            onChange={(v) => setDraft({ ...draft, organization: v })}
          />
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
