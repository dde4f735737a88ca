import { DataTable } from "../components/DataTable";
import { Empty } from "../components/Status";
import { TableSection } from "../components/TableSection";
import { StateLabel } from "../components/labels";
import { useI18n } from "../i18n/context";
import { WORKFLOW_STATES, type WorkflowState } from "../../remediation/states";
import type { DeviceDetail } from "../../shared/wire/devices";
import { clip } from "../workflow";

/** Most observations listed: a device seen every night for years would otherwise make the page huge. */
const MAX_OBSERVATIONS = 200;

export function Observations({ rows }: { rows: DeviceDetail["observations"] }) {
  const { t, dateTime } = useI18n();
  const shown = rows.slice(0, MAX_OBSERVATIONS);
  return (
    <TableSection
      id="obs-h"
      title={t("device.observations")}
      empty={rows.length === 0}
      testid="observations"
      columns={["device.obsTime", "device.obsProtocol", "device.obsPort", "device.obsSummary"]}
      note={
        rows.length > shown.length && (
          <p>{t("common.showing", { shown: shown.length, total: rows.length })}</p>
        )
      }
    >
      {shown.map((o, i) => (
        <tr key={i}>
          <td>{dateTime(o.time)}</td>
          <td>{clip(o.protocol, 40)}</td>
          <td>{o.port ?? ""}</td>
          <td className="wrap">{clip(o.summary)}</td>
        </tr>
      ))}
    </TableSection>
  );
}

export function Vulnerabilities({ rows }: { rows: DeviceDetail["vulnerabilities"] }) {
  const { t } = useI18n();
  return (
    <TableSection
      id="vuln-h"
      title={t("device.vulnerabilities")}
      empty={rows.length === 0}
      columns={["device.vulnId", "device.vulnKev", "device.vulnSeverity", "device.vulnTitle"]}
    >
      {rows.map((v) => (
        <tr key={v.id}>
          <th scope="row">{v.id}</th>
          <td>{v.kev ? t("common.yes") : t("common.no")}</td>
          <td>{v.severity ?? ""}</td>
          <td className="wrap">{clip(v.title)}</td>
        </tr>
      ))}
    </TableSection>
  );
}

export function Verdicts({ rows }: { rows: DeviceDetail["verdicts"] }) {
  const { t } = useI18n();
  return (
    <TableSection
      id="verdicts-h"
      title={t("device.verdicts")}
      empty={rows.length === 0}
      columns={["device.verdictPolicy", "device.verdictVerdict", "device.verdictReason"]}
    >
      {rows.map((v, i) => (
        <tr key={i}>
          <th scope="row">{v.policy}</th>
          <td>{v.verdict}</td>
          <td className="wrap">{clip(v.reason)}</td>
        </tr>
      ))}
    </TableSection>
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
    <DataTable
      label={t("device.workflow")}
      testid="workflow-history"
      columns={["device.wfAt", "device.wfFrom", "device.wfTo", "device.wfActor", "device.wfReason"]}
    >
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
    </DataTable>
  );
}
