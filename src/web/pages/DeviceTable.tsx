import { ScrollBox } from "../components/ScrollBox";
import { memo } from "react";
import { Link } from "../components/Link";
import { StateLabel, StatusBadge } from "../components/labels";
import { useI18n } from "../i18n/context";
import type { Device } from "../types";

/** One page of devices (at most `limit` rows: the list is paged by the server, never rendered whole). */
export const DeviceTable = memo(function DeviceTable({ devices, page }: { devices: Device[]; page: number }) {
  const { t, dateTime } = useI18n();
  return (
    <ScrollBox label={t("devices.caption", { n: page })}>
      <table data-testid="device-table">
        <caption className="visually-hidden">{t("devices.caption", { n: page })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("devices.colAddress")}</th>
            <th scope="col">{t("devices.colHostname")}</th>
            <th scope="col">{t("devices.colManufacturer")}</th>
            <th scope="col">{t("devices.colModel")}</th>
            <th scope="col">{t("devices.colFirmware")}</th>
            <th scope="col">{t("devices.colRestricted")}</th>
            <th scope="col">{t("devices.colStatus")}</th>
            <th scope="col">{t("devices.colWorkflow")}</th>
            <th scope="col">{t("devices.colLastSeen")}</th>
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </ScrollBox>
  );
});
