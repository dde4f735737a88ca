import { useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { DataTable } from "../components/DataTable";
import { FileField } from "../components/Field";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { ErrorMessage } from "../components/Status";
import { useAction, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { can } from "../roles";
import { useSession } from "../session";
import type { ScreenResult } from "../../shared/wire/program";
import { clip } from "../workflow";

const MAX_BYTES = 10 * 1024 * 1024;

export function ScreenPage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle("screen.title");
  const file = useRef<HTMLInputElement>(null);
  const [org, setOrg] = useState("");
  const [problem, setProblem] = useState<"missing" | "large" | null>(null);
  const [result, setResult] = useState<ScreenResult | null>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const f = file.current?.files?.[0];
    const p = !f ? "missing" : f.size > MAX_BYTES ? "large" : null;
    setProblem(p);
    if (!f || p) return;
    const form = new FormData();
    if (org) form.set("organization", org);
    form.set("file", f, f.name);
    setResult(null);
    const r = await action.run(() => api.screen(form));
    if (r) setResult(r);
  };

  return (
    <>
      <h1>{t("screen.title")}</h1>
      <p>{t("screen.intro")}</p>
      {can(me ?? null, "screen") && (
        <form onSubmit={(e) => void submit(e)} data-testid="screen-form" noValidate>
          <div className="row">
            <FileField
              id="screen-file"
              label={t("screen.file")}
              testid="screen-file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              ref={file}
              error={problem && (problem === "large" ? t("screen.tooLarge") : t("screen.fileRequired"))}
            />
            <OrganizationSelect id="screen-organization" value={org} onChange={setOrg} />
          </div>
          <button type="submit" className="primary" disabled={action.busy} data-testid="screen-submit">
            {t("screen.submit")}
          </button>
        </form>
      )}
      <ErrorMessage error={action.error} />
      {result && <ScreenLines result={result} />}
    </>
  );
}

function ScreenLines({ result }: { result: ScreenResult }) {
  const { t, number } = useI18n();
  return (
    <section aria-labelledby="screen-result-h" data-testid="screen-result">
      <h2 id="screen-result-h">{t("screen.result")}</h2>
      <p role="status" data-testid="screen-counts">
        {t("screen.counts", {
          prohibited: number(result.counts.prohibited),
          needsAttestation: number(result.counts.needsAttestation),
          clear: number(result.counts.clear),
        })}
      </p>
      <DataTable
        label={t("screen.result")}
        columns={[
          "screen.colLine",
          "screen.colText",
          "screen.colVerdict",
          "screen.colManufacturer",
          "screen.colReason",
          "screen.colPolicies",
        ]}
      >
        {result.lines.map((l) => (
          <tr key={l.line} data-testid="screen-line" className={`verdict-${l.verdict}`}>
            <th scope="row">{l.line}</th>
            <td className="wrap">{clip(l.text)}</td>
            <td>
              <span className={`badge badge-${l.verdict}`}>{t(`screenVerdict.${l.verdict}`)}</span>
            </td>
            <td>{clip(l.manufacturer, 100)}</td>
            <td className="wrap">{clip(l.reason)}</td>
            <td>{clip(l.policies.join(", "), 200)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
