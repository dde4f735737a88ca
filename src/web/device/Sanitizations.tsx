import { DataTable } from "../components/DataTable";
import { Empty } from "../components/Status";
import { useI18n } from "../i18n/context";
import type { DeviceDetail } from "../../shared/wire/devices";
import { SANITIZATION_METHODS } from "../../shared/wire/lists";
import { clip } from "../workflow";

export function SanitizationList({ rows }: { rows: DeviceDetail["sanitizations"] }) {
  const { t, date } = useI18n();
  const method = (m: string) =>
    (SANITIZATION_METHODS as readonly string[]).includes(m)
      ? t(`method.${m as (typeof SANITIZATION_METHODS)[number]}`)
      : m;
  if (rows.length === 0) return <Empty />;
  return (
    <DataTable
      label={t("device.sanitizations")}
      testid="sanitizations"
      columns={["san.date", "san.method", "san.by", "san.certificateCol"]}
    >
      {rows.map((s) => (
        <tr key={s.id}>
          <td>{date(s.date)}</td>
          <td>{method(s.method)}</td>
          <td>{clip(s.by, 200)}</td>
          <td>{clip(s.certificate, 200)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
