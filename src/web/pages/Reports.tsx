import { useState } from "react";
import { urls } from "../api";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { REPORT_FORMATS, REPORT_LANGS } from "../../shared/wire/lists";

/** Download links: plain GETs the browser follows with the session cookie (Content-Disposition: attachment). */
export function ReportsPage() {
  const { t } = useI18n();
  usePageTitle("reports.title");
  const [org, setOrg] = useState("");
  return (
    <>
      <h1>{t("reports.title")}</h1>
      <p>{t("reports.intro")}</p>
      <div className="toolbar">
        <OrganizationSelect id="reports-organization" value={org} onChange={setOrg} />
      </div>
      <table data-testid="reports-table">
        <thead>
          <tr>
            <th scope="col">{t("reports.format")}</th>
            {REPORT_LANGS.map((l) => (
              <th key={l} scope="col">
                {t(`reportLang.${l}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {REPORT_FORMATS.map((f) => (
            <tr key={f}>
              <th scope="row">{t(`reportFormat.${f}`)}</th>
              {REPORT_LANGS.map((l) => (
                <td key={l}>
                  <a href={urls.report(f, l, org || undefined)} download data-testid={`report-${f}-${l}`}>
                    {t("reports.link", { format: t(`reportFormat.${f}`), lang: t(`reportLang.${l}`) })}
                  </a>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
