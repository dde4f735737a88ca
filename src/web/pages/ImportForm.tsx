import { useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { IMPORT_FORMATS } from "../types";

export function ImportForm({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useI18n();
  const file = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<string>(IMPORT_FORMATS[0]);
  const [missing, setMissing] = useState(false);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const f = file.current?.files?.[0];
    setMissing(!f);
    if (!f) return;
    const form = new FormData();
    form.set("format", format);
    form.set("file", f, f.name);
    const r = await action.run(() => api.startImport(form));
    if (r) onStarted(r.id);
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="import-h" data-testid="import-form" noValidate>
      <h2 id="import-h">{t("jobs.import")}</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="import-file">{t("jobs.file")}</label>
          <input
            id="import-file"
            type="file"
            ref={file}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? "import-file-error" : undefined}
            data-testid="import-file"
          />
          {missing && (
            <p id="import-file-error" className="error-text">
              {t("jobs.fileRequired")}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="import-format">{t("jobs.format")}</label>
          <select
            id="import-format"
            value={format}
            onChange={(e) => setFormat(e.target.value)}
            data-testid="import-format"
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="import-start">
        {t("jobs.startImport")}
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
