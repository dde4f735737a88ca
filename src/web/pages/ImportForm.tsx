import { useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { FileField } from "../components/Field";
import { SelectField } from "../components/SelectField";
import { ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { IMPORT_FORMATS } from "../../shared/wire/lists";

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
        <FileField
          id="import-file"
          label={t("jobs.file")}
          testid="import-file"
          ref={file}
          error={missing ? t("jobs.fileRequired") : null}
        />
        <SelectField
          id="import-format"
          label={t("jobs.format")}
          testid="import-format"
          value={format}
          onChange={setFormat}
          options={IMPORT_FORMATS.map((f) => ({ value: f, label: f }))}
        />
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="import-start">
        {t("jobs.startImport")}
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
