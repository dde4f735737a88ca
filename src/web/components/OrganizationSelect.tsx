import { api } from "../api";
import { useApi } from "../hooks";
import { useI18n } from "../i18n/context";
import { SelectField } from "./SelectField";

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
    <SelectField
      id={id}
      label={t("common.organization")}
      testid={id}
      value={value}
      onChange={onChange}
      options={[
        { value: "", label: t("common.allOrganizations") },
        ...(orgs.data?.organizations.map((o) => ({ value: o.id, label: o.name })) ?? []),
      ]}
    />
  );
}
