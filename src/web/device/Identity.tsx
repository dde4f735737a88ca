import { DataTable } from "../components/DataTable";
import { Empty } from "../components/Status";
import { StatusBadge } from "../components/labels";
import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/en";
import type { DeviceDetail } from "../../shared/wire/devices";
import { clip } from "../workflow";

export function Identity({ detail }: { detail: DeviceDetail }) {
  const { t, percent, dateTime } = useI18n();
  const { device: d, identity: id } = detail;
  const rows: [MessageKey, string][] = [
    ["device.address", d.address ?? ""],
    ["device.hostname", clip(d.hostname, 200)],
    ["device.mac", d.mac ?? ""],
    ["device.serial", clip(d.serial, 200)],
    ["device.manufacturer", clip(id.manufacturer, 200)],
    ["device.brand", clip(id.brand, 200)],
    ["device.model", clip(id.model, 200)],
    ["device.firmware", clip(id.firmware, 200)],
    ["device.type", id.deviceType],
    ["device.confidence", percent(id.confidence)],
    ["device.restricted", d.restricted ? t("common.yes") : t("common.no")],
    ["device.organization", d.organizationName ?? ""],
    ["device.site", d.siteName ?? ""],
    ["device.firstSeen", dateTime(d.firstSeen)],
    ["device.lastSeen", dateTime(d.lastSeen)],
  ];
  return (
    <section aria-labelledby="identity-h">
      <h2 id="identity-h">{t("device.identity")}</h2>
      <dl className="facts" data-testid="device-identity">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        <div>
          <dt>{t("device.status")}</dt>
          <dd>
            <StatusBadge status={d.status} />
          </dd>
        </div>
      </dl>
      <h3>{t("device.evidence")}</h3>
      {id.evidence.length === 0 ? (
        <Empty />
      ) : (
        <DataTable
          label={t("device.evidence")}
          columns={["device.evSource", "device.evField", "device.evValue", "device.evDetail"]}
        >
          {id.evidence.map((e, i) => (
            <tr key={i}>
              <td>{clip(e.source, 200)}</td>
              <td>{clip(e.field, 200)}</td>
              <td className="wrap">{clip(e.value)}</td>
              <td className="wrap">{clip(e.detail)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
