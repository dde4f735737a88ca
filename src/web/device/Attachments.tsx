import { ScrollBox } from "../components/ScrollBox";
import { urls } from "../api";
import { useI18n } from "../i18n/context";
import type { DeviceDetail } from "../types";
import { clip } from "../workflow";

/** Evidence files, each a download link (the server answers with Content-Disposition: attachment). */
export function Attachments({ rows }: { rows: DeviceDetail["attachments"] }) {
  const { t, bytes, dateTime } = useI18n();
  return (
    <section aria-labelledby="att-h">
      <h2 id="att-h">{t("device.attachments")}</h2>
      {rows.length === 0 ? (
        <p>{t("common.empty")}</p>
      ) : (
        <ScrollBox label={t("device.attachments")}>
          <table data-testid="attachments">
            <thead>
              <tr>
                <th scope="col">{t("att.name")}</th>
                <th scope="col">{t("att.size")}</th>
                <th scope="col">{t("att.type")}</th>
                <th scope="col">{t("att.owner")}</th>
                <th scope="col">{t("att.at")}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}
