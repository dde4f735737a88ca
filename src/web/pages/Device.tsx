import { api } from "../api";
import { Link } from "../components/Link";
import { ErrorMessage, Loading } from "../components/Status";
import { Attachments } from "../device/Attachments";
import { ExceptionList, ExceptionRequestForm } from "../device/Exceptions";
import { Identity } from "../device/Identity";
import { Observations, Verdicts, Vulnerabilities, WorkflowHistory } from "../device/Records";
import { SanitizationForm } from "../device/SanitizationForm";
import { SanitizationList } from "../device/Sanitizations";
import { StepActions } from "../device/StepActions";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { can } from "../roles";
import { useSession } from "../session";
import { clip } from "../workflow";

export function DevicePage({ id }: { id: string }) {
  const { t } = useI18n();
  const { me } = useSession();
  const detail = useApi((s) => api.device(id, s), `device:${id}`);
  const d = detail.data;
  const name = d ? clip(d.device.address ?? d.device.hostname ?? d.device.id, 100) : "";
  usePageTitle("device.title", d ? t("device.title", { name }) : undefined);
  const user = me ?? null;

  return (
    <>
      <p>
        <Link to="/devices">{t("device.back")}</Link>
      </p>
      <h1>{d ? t("device.title", { name }) : t("devices.title")}</h1>
      <ErrorMessage error={detail.error} onRetry={detail.reload} />
      {!d && detail.loading && <Loading />}
      {d && (
        <>
          <Identity detail={d} />
          <Observations rows={d.observations} />
          <Vulnerabilities rows={d.vulnerabilities} />
          <Verdicts rows={d.verdicts} />
          <section aria-labelledby="wf-h">
            <h2 id="wf-h">{t("device.workflow")}</h2>
            <p data-testid="workflow-state">{t("device.state", { state: t(`state.${d.workflow.state}`) })}</p>
            <WorkflowHistory steps={d.workflow.steps} />
            {can(user, "step") && (
              <StepActions deviceId={d.device.id} state={d.workflow.state} onDone={detail.reload} />
            )}
          </section>
          <section aria-labelledby="san-h">
            <h2 id="san-h">{t("device.sanitizations")}</h2>
            <SanitizationList rows={d.sanitizations} />
            {can(user, "sanitize") && <SanitizationForm deviceId={d.device.id} onDone={detail.reload} />}
          </section>
          <section aria-labelledby="exc-h">
            <h2 id="exc-h">{t("device.exceptions")}</h2>
            <ExceptionList
              rows={d.exceptions}
              canDecide={can(user, "exception-decide")}
              onDone={detail.reload}
            />
            {can(user, "exception-request") && (
              <ExceptionRequestForm deviceId={d.device.id} onDone={detail.reload} />
            )}
          </section>
          <Attachments rows={d.attachments} />
        </>
      )}
    </>
  );
}
