import { useState, type FormEvent } from "react";
import { api } from "../api";
import { TextAreaField, TextField } from "../components/Field";
import { SelectField } from "../components/SelectField";
import { ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { TIMINGS, type Timing } from "../../shared/wire/lists";

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
      <TextAreaField
        id="scan-targets"
        label={t("jobs.targets")}
        testid="scan-targets"
        rows={4}
        value={targets}
        onChange={setTargets}
        error={invalid ? t("jobs.targetsRequired") : null}
        spellCheck={false}
      />
      <div className="row">
        <TextField
          id="scan-ports"
          label={t("jobs.ports")}
          testid="scan-ports"
          maxLength={500}
          value={ports}
          onChange={setPorts}
        />
        <SelectField
          id="scan-timing"
          label={t("jobs.timing")}
          testid="scan-timing"
          value={timing}
          onChange={setTiming}
          options={TIMINGS.map((x) => ({ value: x, label: t(`timing.${x}`) }))}
        />
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="scan-start">
        {t("jobs.startScan")}
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
