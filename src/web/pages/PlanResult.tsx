import { DataTable } from "../components/DataTable";
import { useI18n } from "../i18n/context";
import type { Plan } from "../../shared/wire/program";
import { clip } from "../workflow";

export function PlanResult({ plan }: { plan: Plan }) {
  const { t, number, money, date } = useI18n();
  return (
    <section aria-labelledby="plan-result-h" data-testid="plan-result">
      <h2 id="plan-result-h">{t("plan.result")}</h2>
      <DataTable
        label={t("plan.result")}
        columns={[
          "plan.colPhase",
          "plan.colStart",
          "plan.colEnd",
          { key: "plan.colDevices", className: "num" },
          { key: "plan.colCost", className: "num" },
          "plan.colSites",
        ]}
      >
        {plan.phases.map((p) => (
          <tr key={p.phase} data-testid="plan-phase">
            <th scope="row">{t("chart.phase", { n: p.phase })}</th>
            <td>{date(p.start)}</td>
            <td>{date(p.end)}</td>
            <td className="num">{number(p.devices)}</td>
            <td className="num">{money(p.cost)}</td>
            <td>
              <ul className="plain">
                {p.sites.map((s, i) => (
                  <li key={s.id ?? i}>
                    {t("plan.site", {
                      name: clip(s.name, 100),
                      devices: number(s.devices),
                      cost: money(s.cost),
                    })}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </DataTable>
      <p data-testid="plan-total">{t("plan.totalCost", { cost: money(plan.totalCost) })}</p>
      <p data-testid="plan-unfunded" className={plan.unfunded > 0 ? "warning" : undefined}>
        {plan.unfunded > 0 ? t("plan.unfunded", { devices: number(plan.unfunded) }) : t("plan.noShortfall")}
      </p>
      {plan.warnings.length > 0 && (
        <>
          <h3>{t("plan.warnings")}</h3>
          <ul data-testid="plan-warnings">
            {plan.warnings.map((w, i) => (
              <li key={`${w.code}-${i}`}>{clip(w.text)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
