import { ScrollBox } from "../components/ScrollBox";
import { StateLabel } from "../components/labels";
import { useI18n } from "../i18n/context";
import type { DeviceDetail, WorkflowState } from "../types";
import { WORKFLOW_STATES } from "../types";
import { clip } from "../workflow";

/** Most observations listed: a device seen every night for years would otherwise make the page huge. */
const MAX_OBSERVATIONS = 200;

function Empty() {
  const { t } = useI18n();
  return <p>{t("common.empty")}</p>;
}

export function Observations({ rows }: { rows: DeviceDetail["observations"] }) {
  const { t, dateTime } = useI18n();
  const shown = rows.slice(0, MAX_OBSERVATIONS);
  return (
    <section aria-labelledby="obs-h">
      <h2 id="obs-h">{t("device.observations")}</h2>
      {rows.length === 0 ? (
        <Empty />
      ) : (
        <ScrollBox label={t("device.observations")}>
          {rows.length > shown.length && (
            <p>{t("common.showing", { shown: shown.length, total: rows.length })}</p>
          )}
          <table data-testid="observations">
            <thead>
              <tr>
                <th scope="col">{t("device.obsTime")}</th>
                <th scope="col">{t("device.obsProtocol")}</th>
                <th scope="col">{t("device.obsPort")}</th>
                <th scope="col">{t("device.obsSummary")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o, i) => (
                <tr key={i}>
                  <td>{dateTime(o.time)}</td>
                  <td>{clip(o.protocol, 40)}</td>
                  <td>{o.port ?? ""}</td>
                  <td className="wrap">{clip(o.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}

export function Vulnerabilities({ rows }: { rows: DeviceDetail["vulnerabilities"] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="vuln-h">
      <h2 id="vuln-h">{t("device.vulnerabilities")}</h2>
      {rows.length === 0 ? (
        <Empty />
      ) : (
        <ScrollBox label={t("device.vulnerabilities")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("device.vulnId")}</th>
                <th scope="col">{t("device.vulnKev")}</th>
                <th scope="col">{t("device.vulnSeverity")}</th>
                <th scope="col">{t("device.vulnTitle")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{v.id}</th>
                  <td>{v.kev ? t("common.yes") : t("common.no")}</td>
                  <td>{v.severity ?? ""}</td>
                  <td className="wrap">{clip(v.title)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}

export function Verdicts({ rows }: { rows: DeviceDetail["verdicts"] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="verdicts-h">
      <h2 id="verdicts-h">{t("device.verdicts")}</h2>
      {rows.length === 0 ? (
        <Empty />
      ) : (
        <ScrollBox label={t("device.verdicts")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("device.verdictPolicy")}</th>
                <th scope="col">{t("device.verdictVerdict")}</th>
                <th scope="col">{t("device.verdictReason")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v, i) => (
                <tr key={i}>
                  <th scope="row">{v.policy}</th>
                  <td>{v.verdict}</td>
                  <td className="wrap">{clip(v.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}

const isState = (s: string): s is WorkflowState => (WORKFLOW_STATES as readonly string[]).includes(s);

function StateText({ s }: { s: string }) {
  return isState(s) ? <StateLabel state={s} /> : <>{s}</>;
}

export function WorkflowHistory({ steps }: { steps: DeviceDetail["workflow"]["steps"] }) {
  const { t, dateTime } = useI18n();
  if (steps.length === 0) return <Empty />;
  return (
    <ScrollBox label={t("device.workflow")}>
      <table data-testid="workflow-history">
        <thead>
          <tr>
            <th scope="col">{t("device.wfAt")}</th>
            <th scope="col">{t("device.wfFrom")}</th>
            <th scope="col">{t("device.wfTo")}</th>
            <th scope="col">{t("device.wfActor")}</th>
            <th scope="col">{t("device.wfReason")}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => (
            <tr key={i}>
              <td>{dateTime(s.at)}</td>
              <td>
                <StateText s={s.from} />
              </td>
              <td>
                <StateText s={s.to} />
              </td>
              <td>{s.actor}</td>
              <td className="wrap">{clip(s.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
