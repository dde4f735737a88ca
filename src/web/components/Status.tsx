import type { ApiError } from "../api";
import { useI18n } from "../i18n/context";

/** The server's own message for a refused or failed request (403 reasons, 429 waits...), as text. */
export function ErrorMessage({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error">
      <p>
        <strong>{t("common.errorTitle")}</strong> {error.message}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t("common.loading")}
    </p>
  );
}

/** A polite live region for a write that worked. */
export function Done({ message }: { message: string | null }) {
  return (
    <p className="done" role="status" data-testid="done">
      {message ?? ""}
    </p>
  );
}

/** What stands for a list with nothing in it. */
export function Empty({ text }: { text?: string }) {
  const { t } = useI18n();
  return <p>{text ?? t("common.empty")}</p>;
}
