import { useI18n } from "../i18n/context";
import type { WorkflowState } from "../../remediation/states";
import type { DeviceStatus } from "../../shared/wire/lists";

/** A device's compliance status as a badge: text first, color only reinforces it. */
export function StatusBadge({ status }: { status: DeviceStatus | null }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status ?? "none"}`}>
      {status ? t(`verdict.${status}`) : t("verdict.none")}
    </span>
  );
}

export function StateLabel({ state }: { state: WorkflowState }) {
  const { t } = useI18n();
  return <>{t(`state.${state}`)}</>;
}
