import { useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { Done, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import { SANITIZATION_METHODS } from "../types";

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
        <div className="field">
          <label htmlFor="san-medium">{t("san.medium")}</label>
          <input
            id="san-medium"
            required
            maxLength={500}
            value={medium}
            onChange={(e) => setMedium(e.target.value)}
            data-testid="sanitize-medium"
          />
        </div>
        <div className="field">
          <label htmlFor="san-method">{t("san.method")}</label>
          <select
            id="san-method"
            value={method}
            onChange={(e) => setMethod(e.target.value as (typeof SANITIZATION_METHODS)[number])}
            data-testid="sanitize-method"
          >
            {SANITIZATION_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`method.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="san-date">{t("san.date")}</label>
          <input
            id="san-date"
            type="date"
            required
            value={date}
            onChange={(e) => setDate(e.target.value)}
            data-testid="sanitize-date"
          />
        </div>
        <div className="field">
          <label htmlFor="san-by">{t("san.by")}</label>
          <input
            id="san-by"
            required
            maxLength={200}
            value={by}
            onChange={(e) => setBy(e.target.value)}
            data-testid="sanitize-by"
          />
        </div>
        <div className="field">
          <label htmlFor="san-certificate">{t("san.certificate")}</label>
          <input
            id="san-certificate"
            maxLength={200}
            value={certificate}
            onChange={(e) => setCertificate(e.target.value)}
            data-testid="sanitize-certificate"
          />
        </div>
        <div className="field">
          <label htmlFor="san-file">{t("san.file")}</label>
          <input id="san-file" type="file" ref={file} data-testid="sanitize-file" />
        </div>
      </div>
      <button type="submit" className="primary" disabled={action.busy} data-testid="sanitize-submit">
        {t("san.submit")}
      </button>
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </form>
  );
}
