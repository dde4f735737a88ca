import { ScrollBox } from "../components/ScrollBox";
import { Fragment } from "react";
import { useI18n } from "../i18n/context";
import type { Overview, StatusCounts } from "../types";

const COLUMNS: (keyof StatusCounts)[] = [
  "devices",
  "prohibited",
  "excepted",
  "advisory",
  "allowed",
  "removed",
  "reopened",
  "kev",
  "notAssessed",
];

/** Compliance per organization, each followed by its sites, with whether each site was verified clear. */
export function ComplianceTable({ organizations }: { organizations: Overview["organizations"] }) {
  const { t, number } = useI18n();
  const clear = (v: boolean | null) =>
    v === null ? t("common.unknown") : v ? t("common.yes") : t("common.no");
  return (
    <section aria-labelledby="compliance-h">
      <h2 id="compliance-h">{t("overview.compliance")}</h2>
      <ScrollBox label={t("overview.compliance")}>
        <table data-testid="compliance-table">
          <thead>
            <tr>
              <th scope="col">{t("overview.colName")}</th>
              <th scope="col">{t("overview.colCriticality")}</th>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" className="num">
                  {t(`status.${c}`)}
                </th>
              ))}
              <th scope="col">{t("overview.colVerifiedClear")}</th>
            </tr>
          </thead>
          <tbody>
            {organizations.map((o, oi) => (
              <Fragment key={o.id ?? `org-${oi}`}>
                <tr className="org-row">
                  <th scope="row">{o.name}</th>
                  <td />
                  {COLUMNS.map((c) => (
                    <td key={c} className="num">
                      {number(o.counts[c])}
                    </td>
                  ))}
                  <td />
                </tr>
                {o.sites.map((s, si) => (
                  <tr key={s.id ?? `site-${oi}-${si}`} className="site-row">
                    <th scope="row">
                      <span className="visually-hidden">
                        {t("overview.siteOf", { organization: o.name })}{" "}
                      </span>
                      {s.name}
                    </th>
                    <td>{s.criticality ?? ""}</td>
                    {COLUMNS.map((c) => (
                      <td key={c} className="num">
                        {number(s.counts[c])}
                      </td>
                    ))}
                    <td>{clear(s.verifiedClear)}</td>
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
