import { useEffect, useReducer, useState } from "react";
import { api, urls, type ApiError } from "../api";
import { ErrorMessage } from "../components/Status";
import { asApiError, useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { emptyJobView, isFinished, parseDevice, parseJob, reduceJob } from "../jobEvents";
import { can } from "../roles";
import { useSession } from "../session";

/** Follows one job live over its event stream; devices are listed as they arrive. `onEnd`: the job has ended. */
export function JobMonitor({ id, onEnd }: { id: string; onEnd?: () => void }) {
  const { t, tn, number } = useI18n();
  const { me } = useSession();
  const [view, dispatch] = useReducer(reduceJob, undefined, emptyJobView);
  const [lost, setLost] = useState(false);
  const [streamError, setStreamError] = useState<ApiError | null>(null);
  const cancel = useAction();

  useEffect(() => {
    const es = new EventSource(urls.jobEvents(id));
    const onJob = (type: "progress" | "end") => (e: MessageEvent<string>) => {
      const job = parseJob(e.data);
      if (!job) return;
      setLost(false);
      dispatch({ type, job });
      if (type === "end") {
        es.close(); // otherwise EventSource would reconnect when the server closes
        onEnd?.();
      }
    };
    const onDevice = (e: MessageEvent<string>) => {
      const device = parseDevice(e.data);
      if (device) dispatch({ type: "device", device });
    };
    const progress = onJob("progress");
    const end = onJob("end");
    es.addEventListener("progress", progress);
    es.addEventListener("end", end);
    es.addEventListener("device", onDevice);
    es.onerror = () => {
      setLost(true);
      // CLOSED means the browser gave up (the stream was refused): show the job's state as the server has it.
      if (es.readyState === EventSource.CLOSED)
        api.job(id).then(
          (job) => dispatch({ type: "progress", job }),
          (e: unknown) => setStreamError(asApiError(e)),
        );
    };
    es.onopen = () => setLost(false);
    return () => es.close();
    // onEnd is read when the job ends; a new function each render must not reopen the stream.
  }, [id]);

  const job = view.job;
  const finished = isFinished(job) || view.ended;
  const doCancel = async () => {
    const j = await cancel.run(() => api.cancelJob(id));
    if (j) dispatch({ type: "cancelled", job: j });
  };

  return (
    <section aria-labelledby="job-h" data-testid="job-monitor">
      <h2 id="job-h">{t("jobs.current")}</h2>
      <p data-testid="job-progress">
        {job
          ? t("jobs.progress", {
              kind: t(`kind.${job.kind}`),
              state: t(`jobState.${job.state}`),
              done: number(job.progress.done),
              total: number(job.progress.total),
              devices: number(job.progress.devices),
            })
          : t("common.loading")}
      </p>
      <p role="status" className="visually-hidden" data-testid="job-state">
        {job ? t(`jobState.${job.state}`) : ""}
      </p>
      {job && job.progress.total > 0 && (
        <progress
          value={job.progress.done}
          max={job.progress.total}
          aria-label={t("jobs.colProgress")}
          data-testid="job-progress-bar"
        />
      )}
      {job?.error && (
        <p className="error" role="alert">
          {t("jobs.failed", { error: job.error.slice(0, 500) })}
        </p>
      )}
      {lost && !finished && <p className="muted">{t("jobs.streamLost")}</p>}
      {!finished && can(me ?? null, "cancel-job") && (
        <button type="button" onClick={() => void doCancel()} disabled={cancel.busy} data-testid="job-cancel">
          {t("jobs.cancel")}
        </button>
      )}
      <ErrorMessage error={cancel.error ?? streamError} />
      <h3>{t("jobs.arriving")}</h3>
      {view.deviceCount === 0 ? (
        <p>{t("jobs.noneYet")}</p>
      ) : (
        <>
          <p>{tn("devices.total", view.deviceCount)}</p>
          {view.deviceCount > view.devices.length && (
            <p className="muted">
              {t("jobs.lastShown", { shown: view.devices.length, count: view.deviceCount })}
            </p>
          )}
          <ul className="arrivals" data-testid="job-devices">
            {view.devices.map((d, i) => (
              <li key={view.deviceCount - view.devices.length + i} data-testid="job-device">
                <span className="mono">{d.address ?? ""}</span>{" "}
                {[d.manufacturer, d.model].filter(Boolean).join(" ")}
                {d.restricted && <span className="badge badge-prohibited">{t("jobs.restricted")}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
