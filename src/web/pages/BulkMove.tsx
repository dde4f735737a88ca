import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Done, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { API_STEPS, type ApiStep } from "../types";

/** The bulk transition: one step for every selected device, in one request (POST /api/v1/steps). */
export function BulkMove({
  ids,
  onClear,
  onMoved,
}: {
  ids: string[];
  onClear: () => void;
  onMoved: () => void;
}) {
  const { t, tn } = useI18n();
  const [step, setStep] = useState<ApiStep>("confirmed");
  const [date, setDate] = useState("");
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(
      () => api.bulkStep({ step, filter: { ids }, ...(date ? { date } : {}) }),
      (m) => tn("board.moved", m.moved.length),
    );
    if (r) onMoved();
  };

  return (
    <form className="bulk" onSubmit={(e) => void submit(e)} aria-labelledby="bulk-h" data-testid="bulk-form">
      <h2 id="bulk-h">{t("board.bulk")}</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="bulk-step">{t("board.step")}</label>
          <select
            id="bulk-step"
            value={step}
            onChange={(e) => setStep(e.target.value as ApiStep)}
            data-testid="bulk-step"
          >
            {API_STEPS.map((s) => (
              <option key={s} value={s}>
                {t(`step.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bulk-date">{t("board.date")}</label>
          <input
            id="bulk-date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            data-testid="bulk-date"
          />
        </div>
        <button
          type="submit"
          className="primary"
          disabled={action.busy || ids.length === 0}
          data-testid="bulk-submit"
        >
          {t("board.submit", { n: ids.length })}
        </button>
        <button type="button" disabled={ids.length === 0} onClick={onClear}>
          {t("board.clear")}
        </button>
      </div>
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </form>
  );
}
