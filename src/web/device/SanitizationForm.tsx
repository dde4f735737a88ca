import { useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { DateField, FileField, TextField } from "../components/Field";
import { SelectField } from "../components/SelectField";
import { Done, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { SANITIZATION_METHODS } from "../../shared/wire/lists";

const today = (): string => new Date().toISOString().slice(0, 10);

/** Records a sanitization (NIST SP 800-88 method) with an optional evidence file, as multipart/form-data. */
export function SanitizationForm({ deviceId, onDone }: { deviceId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [method, setMethod] = useState<(typeof SANITIZATION_METHODS)[number]>("destroy");
  const [date, setDate] = useState(today);
  const [by, setBy] = useState("");
  const [medium, setMedium] = useState("");
  const [certificate, setCertificate] = useState("");
  const file = useRef<HTMLInputElement>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const form = new FormData();
    form.set("medium", medium.trim());
    form.set("method", method);
    form.set("date", date);
    form.set("by", by.trim());
    if (certificate.trim()) form.set("certificate", certificate.trim());
    const f = file.current?.files?.[0];
    if (f) form.set("file", f, f.name);
    const r = await action.run(
      () => api.sanitize(deviceId, form),
      () => t("san.done"),
    );
    if (r) {
      setCertificate("");
      if (file.current) file.current.value = "";
      onDone();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="san-form-h" data-testid="sanitization-form">
      <h3 id="san-form-h">{t("san.record")}</h3>
      <div className="row">
        <TextField
          id="san-medium"
          label={t("san.medium")}
          testid="sanitize-medium"
          required
          maxLength={500}
          value={medium}
          onChange={setMedium}
        />
        <SelectField
          id="san-method"
          label={t("san.method")}
          testid="sanitize-method"
          value={method}
          onChange={setMethod}
          options={SANITIZATION_METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
        />
        <DateField
          id="san-date"
          label={t("san.date")}
          testid="sanitize-date"
          required
          value={date}
          onChange={setDate}
        />
        <TextField
          id="san-by"
          label={t("san.by")}
          testid="sanitize-by"
          required
          maxLength={200}
          value={by}
          onChange={setBy}
        />
        <TextField
          id="san-certificate"
          label={t("san.certificate")}
          testid="sanitize-certificate"
          maxLength={200}
          value={certificate}
          onChange={setCertificate}
        />
        <FileField id="san-file" label={t("san.file")} testid="sanitize-file" ref={file} />
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="sanitize-submit">
        {t("san.submit")}
      </button>
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </form>
  );
}
