import { ScrollBox } from "../components/ScrollBox";
import { useI18n } from "../i18n/context";
import type { DeviceDetail } from "../types";
import { SANITIZATION_METHODS } from "../types";
import { clip } from "../workflow";

export function SanitizationList({ rows }: { rows: DeviceDetail["sanitizations"] }) {
  const { t, date } = useI18n();
  const method = (m: string) =>
    (SANITIZATION_METHODS as readonly string[]).includes(m)
      ? t(`method.${m as (typeof SANITIZATION_METHODS)[number]}`)
      : m;
  if (rows.length === 0) return <p>{t("common.empty")}</p>;
  return (
    <ScrollBox label={t("device.sanitizations")}>
      <table data-testid="sanitizations">
        <thead>
          <tr>
            <th scope="col">{t("san.date")}</th>
            <th scope="col">{t("san.method")}</th>
            <th scope="col">{t("san.by")}</th>
            <th scope="col">{t("san.certificateCol")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id}>
              <td>{date(s.date)}</td>
              <td>{method(s.method)}</td>
              <td>{clip(s.by, 200)}</td>
              <td>{clip(s.certificate, 200)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
