import { useState, type FormEvent } from "react";
import { api } from "../api";
import { DateField } from "../components/Field";
import { SelectField } from "../components/SelectField";
import { Done, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { API_STEPS, type ApiStep } from "../../shared/wire/lists";

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
      () => api.bulkStep({ step, ids, ...(date ? { date } : {}) }),
      (m) => tn("board.moved", m.moved.length),
    );
    if (r) onMoved();
  };

  return (
    <form className="bulk" onSubmit={(e) => void submit(e)} aria-labelledby="bulk-h" data-testid="bulk-form">
      <h2 id="bulk-h">{t("board.bulk")}</h2>
      <div className="row">
        <SelectField
          id="bulk-step"
          label={t("board.step")}
          testid="bulk-step"
          value={step}
          onChange={setStep}
          options={API_STEPS.map((s) => ({ value: s, label: t(`step.${s}`) }))}
        />
        <DateField
          id="bulk-date"
          label={t("board.date")}
          testid="bulk-date"
          value={date}
          onChange={setDate}
        />
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
