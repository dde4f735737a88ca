import { useState, type FormEvent } from "react";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { useI18n } from "../i18n/context";
import type { DeviceSort } from "../types";
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
  const set = <K extends keyof DeviceFilters>(k: K, v: DeviceFilters[K]) =>
    setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="filters-h" data-testid="device-filters">
      <h2 id="filters-h" className="visually-hidden">
        {t("devices.filters")}
      </h2>
      <OrganizationSelect
        id="filter-organization"
        value={f.organization}
        onChange={(v) => set("organization", v)}
      />
      <div className="field">
        <label htmlFor="filter-site">{t("devices.site")}</label>
        <input
          id="filter-site"
          value={f.site}
          onChange={(e) => set("site", e.target.value)}
          data-testid="filter-site"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-manufacturer">{t("devices.manufacturer")}</label>
        <input
          id="filter-manufacturer"
          value={f.manufacturer}
          onChange={(e) => set("manufacturer", e.target.value)}
          data-testid="filter-manufacturer"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-restricted">{t("devices.restricted")}</label>
        <select
          id="filter-restricted"
          value={f.restricted}
          onChange={(e) => set("restricted", e.target.value as DeviceFilters["restricted"])}
          data-testid="filter-restricted"
        >
          <option value="">{t("devices.restrictedAny")}</option>
          <option value="true">{t("devices.restrictedYes")}</option>
          <option value="false">{t("devices.restrictedNo")}</option>
        </select>
      </div>
      <div className="field wide">
        <label htmlFor="filter-q">{t("devices.q")}</label>
        <input
          id="filter-q"
          type="search"
          maxLength={200}
          value={f.q}
          onChange={(e) => set("q", e.target.value)}
          data-testid="filter-q"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-sort">{t("devices.sort")}</label>
        <select
          id="filter-sort"
          value={f.sort}
          onChange={(e) => set("sort", e.target.value as DeviceSort)}
          data-testid="filter-sort"
        >
          <option value="default">{t("devices.sortDefault")}</option>
          <option value="last-seen">{t("devices.sortLastSeen")}</option>
          <option value="address">{t("devices.sortAddress")}</option>
        </select>
      </div>
      <button type="submit" className="primary" data-testid="filter-apply">
        {t("devices.apply")}
      </button>
    </form>
  );
}
