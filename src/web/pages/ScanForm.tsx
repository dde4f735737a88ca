import { useState, type FormEvent } from "react";
import { api } from "../api";
import { ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { TIMINGS, type Timing } from "../types";

/** Targets as typed: one per line, or separated by commas or spaces; the server checks each against its scope. */
export function parseTargets(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function ScanForm({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useI18n();
  const [targets, setTargets] = useState("");
  const [ports, setPorts] = useState("");
  const [timing, setTiming] = useState<Timing>("T3");
  const [invalid, setInvalid] = useState(false);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = parseTargets(targets);
    setInvalid(list.length === 0);
    if (list.length === 0) return;
    const r = await action.run(() =>
      api.startScan({ targets: list, timing, ...(ports.trim() ? { ports: ports.trim() } : {}) }),
    );
    if (r) onStarted(r.id);
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="scan-h" data-testid="scan-form" noValidate>
      <h2 id="scan-h">{t("jobs.scan")}</h2>
      <div className="field">
        <label htmlFor="scan-targets">{t("jobs.targets")}</label>
        <textarea
          id="scan-targets"
          rows={4}
          value={targets}
          onChange={(e) => setTargets(e.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? "scan-targets-error" : undefined}
          spellCheck={false}
          data-testid="scan-targets"
        />
        {invalid && (
          <p id="scan-targets-error" className="error-text">
            {t("jobs.targetsRequired")}
          </p>
        )}
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="scan-ports">{t("jobs.ports")}</label>
          <input
            id="scan-ports"
            value={ports}
            maxLength={500}
            onChange={(e) => setPorts(e.target.value)}
            data-testid="scan-ports"
          />
        </div>
        <div className="field">
          <label htmlFor="scan-timing">{t("jobs.timing")}</label>
          <select
            id="scan-timing"
            value={timing}
            onChange={(e) => setTiming(e.target.value as Timing)}
            data-testid="scan-timing"
          >
            {TIMINGS.map((x) => (
              <option key={x} value={x}>
                {t(`timing.${x}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="scan-start">
        {t("jobs.startScan")}
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
