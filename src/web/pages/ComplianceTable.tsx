import { TableSection } from "../components/TableSection";
import { Fragment } from "react";
import { useI18n } from "../i18n/context";
import type { Overview, StatusCounts } from "../../shared/wire/program";

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
    <TableSection
      id="compliance-h"
      title={t("overview.compliance")}
      empty={false}
      testid="compliance-table"
      columns={[
        "overview.colName",
        "overview.colCriticality",
        ...COLUMNS.map((c) => ({ key: `status.${c}` as const, className: "num" })),
        "overview.colVerifiedClear",
      ]}
    >
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
                <span className="visually-hidden">{t("overview.siteOf", { organization: o.name })} </span>
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
    </TableSection>
  );
}
