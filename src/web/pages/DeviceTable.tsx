import { memo } from "react";
import { DataTable } from "../components/DataTable";
import { Link } from "../components/Link";
import { StateLabel, StatusBadge } from "../components/labels";
import { useI18n } from "../i18n/context";
import type { Device } from "../../shared/wire/devices";

/** One page of devices (at most `limit` rows: the list is paged by the server, never rendered whole). */
export const DeviceTable = memo(function DeviceTable({ devices, page }: { devices: Device[]; page: number }) {
  const { t, dateTime } = useI18n();
  return (
    <DataTable
      label={t("devices.caption", { n: page })}
      testid="device-table"
      caption={t("devices.caption", { n: page })}
      columns={[
        "devices.colAddress",
        "devices.colHostname",
        "devices.colManufacturer",
        "devices.colModel",
        "devices.colFirmware",
        "devices.colRestricted",
        "devices.colStatus",
        "devices.colWorkflow",
        "devices.colLastSeen",
      ]}
    >
      {devices.map((d) => (
        <tr key={d.id} data-testid="device-row" className={d.restricted ? "restricted" : undefined}>
          <th scope="row">
            <Link to={`/devices/${encodeURIComponent(d.id)}`} data-testid="device-link">
              {d.address ?? t("devices.noAddress")}
            </Link>
          </th>
          <td>{d.hostname ?? ""}</td>
          <td>{d.manufacturer ?? ""}</td>
          <td>{d.model ?? ""}</td>
          <td>{d.firmware ?? ""}</td>
          <td>{d.restricted ? t("common.yes") : t("common.no")}</td>
          <td>
            <StatusBadge status={d.status} />
          </td>
          <td>
            <StateLabel state={d.workflow} />
          </td>
          <td>{dateTime(d.lastSeen)}</td>
        </tr>
      ))}
    </DataTable>
  );
});
