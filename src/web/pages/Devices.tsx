import { useState } from "react";
import { api } from "../api";
import { ErrorMessage, Loading } from "../components/Status";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { currentCursor, firstPage, hasPrevious, pageNumber, popPrevious, pushNext } from "../paging";
import { navigate, useLocation } from "../router";
import { DeviceFilterForm } from "./DeviceFilterForm";
import { DeviceTable } from "./DeviceTable";
import { filtersFromSearch, queryFromFilters, searchFromFilters } from "./deviceFilters";

const PAGE_SIZE = 100;

export function DevicesPage() {
  const { search } = useLocation();
  const key = search.toString();
  // A new filter starts again at page 1: the cursor stack belongs to one filter.
  return <DeviceList key={key} search={search} />;
}

function DeviceList({ search }: { search: URLSearchParams }) {
  const { t, tn } = useI18n();
  usePageTitle("devices.title");
  const filters = filtersFromSearch(search);
  const [stack, setStack] = useState(firstPage);
  const cursor = currentCursor(stack);
  const page = useApi(
    (s) => api.devices(queryFromFilters(filters, cursor, PAGE_SIZE), s),
    `${search.toString()}|${cursor ?? ""}`,
  );
  const data = page.data;
  const n = pageNumber(stack);
  // Counted with the first page only: kept while paging on.
  const [total, setTotal] = useState<number | null>(null);
  if (data && data.total !== null && data.total !== total) setTotal(data.total);

  return (
    <>
      <h1>{t("devices.title")}</h1>
      <DeviceFilterForm initial={filters} onApply={(f) => navigate(`/devices${searchFromFilters(f)}`)} />
      <ErrorMessage error={page.error} onRetry={page.reload} />
      {!data && page.loading && <Loading />}
      {data && (
        <>
          <p className="total" role="status" data-testid="device-total">
            {total === null ? "" : tn("devices.total", total)}
          </p>
          {data.devices.length === 0 ? (
            <p>{t("devices.none")}</p>
          ) : (
            <DeviceTable devices={data.devices} page={n} />
          )}
          <nav className="pager" aria-label={t("devices.paging")}>
            <button
              type="button"
              disabled={!hasPrevious(stack) || page.loading}
              onClick={() => setStack(popPrevious)}
              data-testid="page-prev"
            >
              {t("devices.previous")}
            </button>
            <span data-testid="page-number">{t("devices.page", { n })}</span>
            <button
              type="button"
              disabled={!data.next || page.loading}
              onClick={() => setStack((s) => pushNext(s, data.next))}
              data-testid="page-next"
            >
              {t("devices.next")}
            </button>
          </nav>
        </>
      )}
    </>
  );
}
