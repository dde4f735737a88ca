import { useState } from "react";
import { api } from "../api";
import { DateField } from "../components/Field";
import { SelectField } from "../components/SelectField";
import { Done, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import {
  STORAGE_KINDS,
  type Storage as StorageKind,
  WORKFLOW_STATES,
  type WorkflowState,
} from "../../remediation/states";
import type { ApiStep } from "../../shared/wire/lists";
import { nextSteps } from "../workflow";

/** The buttons for the steps that may follow the device's state, with the step's optional date and storage. */
export function StepActions({
  deviceId,
  state,
  onDone,
}: {
  deviceId: string;
  state: WorkflowState;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [date, setDate] = useState("");
  const [storage, setStorage] = useState<StorageKind | "">("");
  const action = useAction();
  const steps = nextSteps(state);

  const take = async (step: ApiStep) => {
    const r = await action.run(
      () =>
        api.step(deviceId, {
          step,
          ...(date ? { date } : {}),
          ...(storage ? { storage } : {}),
        }),
      (m) => t("device.stepDone", { from: label(m.from), to: label(m.to) }),
    );
    if (r) onDone();
  };
  const label = (s: string) =>
    (WORKFLOW_STATES as readonly string[]).includes(s) ? t(`state.${s as WorkflowState}`) : s;

  return (
    <div className="actions" data-testid="step-actions">
      <h3>{t("device.actions")}</h3>
      {steps.length === 0 ? (
        <p>{t("device.noStep")}</p>
      ) : (
        <>
          <div className="row">
            <DateField
              id="step-date"
              label={t("device.stepDate")}
              testid="step-date"
              value={date}
              onChange={setDate}
            />
            <SelectField
              id="step-storage"
              label={t("device.storage")}
              testid="step-storage"
              value={storage}
              onChange={setStorage}
              options={[
                { value: "", label: t("device.storageUnset") },
                ...STORAGE_KINDS.map((k) => ({ value: k, label: t(`storage.${k}`) })),
              ]}
            />
          </div>
          <div className="row">
            {steps.map((s) => (
              <button
                key={s}
                type="button"
                className="primary"
                disabled={action.busy}
                onClick={() => void take(s)}
                data-testid={`step-${s}`}
              >
                {t(`step.${s}`)}
              </button>
            ))}
          </div>
        </>
      )}
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </div>
  );
}
