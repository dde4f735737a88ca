import { useState } from "react";
import { api } from "../api";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { ErrorMessage, Loading } from "../components/Status";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import type { StatusCounts } from "../../shared/wire/program";
import { BurnDown, Manufacturers, PlanVsActual } from "./OverviewCharts";
import { ComplianceTable } from "./ComplianceTable";

const CARDS: (keyof StatusCounts)[] = [
  "devices",
  "prohibited",
  "excepted",
  "advisory",
  "allowed",
  "unowned",
  "removed",
  "reopened",
  "kev",
  "notAssessed",
];

export function OverviewPage() {
  const { t, number, dateTime } = useI18n();
  usePageTitle("overview.title");
  const [org, setOrg] = useState("");
  const overview = useApi((s) => api.overview(org || undefined, s), `overview:${org}`);
  const o = overview.data;
  return (
    <>
      <h1>{t("overview.title")}</h1>
      <div className="toolbar">
        <OrganizationSelect id="overview-organization" value={org} onChange={setOrg} />
      </div>
      <ErrorMessage error={overview.error} onRetry={overview.reload} />
      {!o && overview.loading && <Loading />}
      {o && (
        <>
          <p className="muted">{t("overview.asOf", { date: dateTime(o.asOf) })}</p>
          <section aria-labelledby="totals-h">
            <h2 id="totals-h">{t("overview.totals")}</h2>
            <ul className="cards">
              {CARDS.map((k) => (
                <li key={k} className={`card card-${k}`} data-testid={`card-${k}`}>
                  <span className="card-value">{number(o.totals[k])}</span>
                  <span className="card-label">{t(`status.${k}`)}</span>
                </li>
              ))}
            </ul>
          </section>
          <ComplianceTable organizations={o.organizations} />
          <BurnDown points={o.burnDown} />
          <Manufacturers rows={o.manufacturers} />
          <PlanVsActual rows={o.planVsActual} />
        </>
      )}
    </>
  );
}
