import { urls } from "../api";
import { TableSection } from "../components/TableSection";
import { useI18n } from "../i18n/context";
import type { DeviceDetail } from "../../shared/wire/devices";
import { clip } from "../workflow";

/** Evidence files, each a download link (the server answers with Content-Disposition: attachment). */
export function Attachments({ rows }: { rows: DeviceDetail["attachments"] }) {
  const { t, bytes, dateTime } = useI18n();
  return (
    <TableSection
      id="att-h"
      title={t("device.attachments")}
      empty={rows.length === 0}
      testid="attachments"
      columns={["att.name", "att.size", "att.type", "att.owner", "att.at"]}
    >
      {rows.map((a) => (
        <tr key={`${a.sha256}-${a.owner}-${a.at}`}>
          <th scope="row">
            <a href={urls.evidence(a.sha256)} download={a.name} data-testid="attachment-link">
              {clip(a.name, 200)}
            </a>
          </th>
          <td>{bytes(a.size)}</td>
          <td>{clip(a.mediaType, 100)}</td>
          <td>{t(`owner.${a.owner}`)}</td>
          <td>{dateTime(a.at)}</td>
        </tr>
      ))}
    </TableSection>
  );
}
