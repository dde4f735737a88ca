import { api } from "../api";
import { useApi } from "../hooks";
import { useI18n } from "../i18n/context";

/** A labelled select of the organizations the caller may see; "" means all of them. */
export function OrganizationSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useI18n();
  const orgs = useApi((s) => api.organizations(s), "organizations");
  return (
    <div className="field">
      <label htmlFor={id}>{t("common.organization")}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={id}>
        <option value="">{t("common.allOrganizations")}</option>
        {orgs.data?.organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
