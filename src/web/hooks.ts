import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "./api";
import { useI18n } from "./i18n/context";
import type { MessageKey } from "./i18n/en";

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === "AbortError";

export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));

/**
 * Runs `load` when `key` changes, aborting the previous request; keeps the last data while the next loads, so a
 * table does not flash empty between pages.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    loadRef.current(ac.signal).then(
      (d) => {
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (isAbort(e)) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
    return () => ac.abort();
  }, [key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Sets the document title for the page: "<page> · camsweep". */
export function usePageTitle(key: MessageKey, page?: string): void {
  const { t } = useI18n();
  const title = t("app.title", { page: page ?? t(key) });
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** A write's state: busy, the server's refusal, a success message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(
    async <T>(fn: () => Promise<T>, success?: (r: T) => string): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        const r = await fn();
        if (success) setDone(success(r));
        return r;
      } catch (e) {
        setError(asApiError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, done, run };
}
