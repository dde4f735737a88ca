import { useState, type FormEvent } from "react";
import { TextField } from "../components/Field";
import { fieldBinder } from "../components/fieldBinder";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { SelectField } from "../components/SelectField";
import { useI18n } from "../i18n/context";
import type { DeviceFilters } from "./deviceFilters";

/** The server-side filters of the devices list; applied on submit, so typing does not send a request per key. */
export function DeviceFilterForm({
  initial,
  onApply,
}: {
  initial: DeviceFilters;
  onApply: (f: DeviceFilters) => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState(initial);
  const bind = fieldBinder("filter", f, (k, v) => setF((old) => ({ ...old, [k]: v })));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="filters-h" data-testid="device-filters">
      <h2 id="filters-h" className="visually-hidden">
        {t("devices.filters")}
      </h2>
      <OrganizationSelect {...bind("organization")} />
      <TextField {...bind("site")} label={t("devices.site")} />
      <TextField {...bind("manufacturer")} label={t("devices.manufacturer")} />
      <SelectField
        {...bind("restricted")}
        label={t("devices.restricted")}
        options={[
          { value: "", label: t("devices.restrictedAny") },
          { value: "true", label: t("devices.restrictedYes") },
          { value: "false", label: t("devices.restrictedNo") },
        ]}
      />
      <TextField {...bind("q")} label={t("devices.q")} wide type="search" maxLength={200} />
      <SelectField
        {...bind("sort")}
        label={t("devices.sort")}
        options={[
          { value: "default", label: t("devices.sortDefault") },
          { value: "last-seen", label: t("devices.sortLastSeen") },
          { value: "address", label: t("devices.sortAddress") },
        ]}
      />
      <button type="submit" className="primary" data-testid="filter-apply">
        {t("devices.apply")}
      </button>
    </form>
  );
}
