import { api } from "../api";
import { ErrorMessage } from "../components/Status";
import { TableSection } from "../components/TableSection";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { can } from "../roles";
import { navigate, useLocation } from "../router";
import { useSession } from "../session";
import type { Job } from "../../shared/wire/jobs";
import { ImportForm } from "./ImportForm";
import { JobMonitor } from "./JobMonitor";
import { ScanForm } from "./ScanForm";

/** Scans and imports: start one, then follow it live. The followed job is in the URL (/jobs?job=ID). */
export function JobsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle("jobs.title");
  const { search } = useLocation();
  const current = search.get("job");
  const jobs = useApi((s) => api.jobs(s), `jobs:${current ?? ""}`);
  const follow = (id: string) => navigate(`/jobs?job=${encodeURIComponent(id)}`);

  return (
    <>
      <h1>{t("jobs.title")}</h1>
      <div className="two">
        {can(me ?? null, "scan") && <ScanForm onStarted={follow} />}
        {can(me ?? null, "import") && <ImportForm onStarted={follow} />}
      </div>
      {/* The list below is read again when the followed job ends, so it does not show it running. */}
      {current && <JobMonitor key={current} id={current} onEnd={jobs.reload} />}
      <RecentJobs jobs={jobs.data?.jobs} onFollow={follow} />
      <ErrorMessage error={jobs.error} onRetry={jobs.reload} />
    </>
  );
}

function RecentJobs({ jobs, onFollow }: { jobs: Job[] | undefined; onFollow: (id: string) => void }) {
  const { t, number, dateTime } = useI18n();
  return (
    <TableSection
      id="recent-h"
      title={t("jobs.recent")}
      empty={!jobs || jobs.length === 0}
      emptyText={t("jobs.noJobs")}
      testid="jobs-table"
      columns={[
        "jobs.colStarted",
        "jobs.colKind",
        "jobs.colState",
        "jobs.colBy",
        "jobs.colProgress",
        "jobs.colAction",
      ]}
    >
      {jobs?.slice(0, 50).map((j) => (
        <tr key={j.id}>
          <td>{dateTime(j.startedAt)}</td>
          <td>{t(`kind.${j.kind}`)}</td>
          <td>{t(`jobState.${j.state}`)}</td>
          <td>{j.by}</td>
          <td>
            {number(j.progress.done)} / {number(j.progress.total)}
          </td>
          <td>
            <button
              type="button"
              onClick={() => onFollow(j.id)}
              aria-label={t("jobs.followJob", {
                kind: t(`kind.${j.kind}`),
                at: dateTime(j.startedAt),
              })}
            >
              {t("jobs.follow")}
            </button>
          </td>
        </tr>
      ))}
    </TableSection>
  );
}
