import type { ReactNode } from "react";
import { BarChart } from "../charts/BarChart";
import { HiddenTable } from "../charts/HiddenTable";
import { LineChart } from "../charts/LineChart";
import { useI18n } from "../i18n/context";
import type { Overview } from "../../shared/wire/program";

/** Most manufacturers shown as bars; the data table lists them all. */
const MAX_BARS = 12;

/** A chart with its data table, or a line saying there is no data yet. */
function ChartSection({
  id,
  title,
  empty,
  children,
}: {
  id: string;
  title: string;
  empty: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section aria-labelledby={id} className="chart-section" data-testid={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <p>{t("chart.noData")}</p> : children}
    </section>
  );
}

export function BurnDown({ points }: { points: Overview["burnDown"] }) {
  const { t, number, date } = useI18n();
  const title = t("overview.burnDown");
  const cell = (v: number | null) => (v === null ? "" : number(v));
  return (
    <ChartSection id="burn-down" title={title} empty={points.length === 0}>
      <LineChart
        label={t("overview.burnDownAlt", {
          from: date(points[0]?.date),
          to: date(points[points.length - 1]?.date),
        })}
        xLabels={points.map((p) => date(p.date))}
        formatY={number}
        series={[
          { label: t("chart.actual"), className: "series-1", values: points.map((p) => p.actual) },
          {
            label: t("chart.planned"),
            className: "series-2",
            values: points.map((p) => p.planned),
            dashed: true,
          },
        ]}
      />
      <HiddenTable
        caption={t("chart.data", { title })}
        headers={[t("chart.date"), t("chart.actual"), t("chart.planned")]}
        rows={points.map((p) => [date(p.date), cell(p.actual), cell(p.planned)])}
      />
    </ChartSection>
  );
}

export function Manufacturers({ rows }: { rows: Overview["manufacturers"] }) {
  const { t, number } = useI18n();
  const title = t("overview.manufacturers");
  const name = (m: string | null) => m ?? t("overview.unknownManufacturer");
  const top = [...rows].sort((a, b) => b.devices - a.devices).slice(0, MAX_BARS);
  return (
    <ChartSection id="by-manufacturer" title={title} empty={rows.length === 0}>
      <BarChart
        label={t("overview.manufacturersAlt", { n: top.length })}
        categories={top.map((r) => name(r.manufacturer))}
        formatY={number}
        series={[
          { label: t("chart.devices"), className: "series-1", values: top.map((r) => r.devices) },
          { label: t("chart.prohibited"), className: "series-3", values: top.map((r) => r.prohibited) },
        ]}
      />
      <HiddenTable
        caption={t("chart.data", { title })}
        headers={[t("chart.manufacturer"), t("chart.devices"), t("chart.prohibited")]}
        rows={rows.map((r) => [name(r.manufacturer), number(r.devices), number(r.prohibited)])}
      />
    </ChartSection>
  );
}

export function PlanVsActual({ rows }: { rows: Overview["planVsActual"] }) {
  const { t, number, date } = useI18n();
  const title = t("overview.planVsActual");
  return (
    <ChartSection id="plan-vs-actual" title={title} empty={rows.length === 0}>
      <BarChart
        label={t("overview.planVsActualAlt", { n: rows.length })}
        categories={rows.map((r) => t("chart.phase", { n: r.phase }))}
        formatY={number}
        series={[
          { label: t("chart.planned"), className: "series-2", values: rows.map((r) => r.planned) },
          { label: t("chart.removed"), className: "series-1", values: rows.map((r) => r.removed) },
        ]}
      />
      <HiddenTable
        caption={t("chart.data", { title })}
        headers={[t("chart.phaseCol"), t("chart.end"), t("chart.planned"), t("chart.removed")]}
        rows={rows.map((r) => [
          t("chart.phase", { n: r.phase }),
          date(r.end),
          number(r.planned),
          number(r.removed),
        ])}
      />
    </ChartSection>
  );
}
