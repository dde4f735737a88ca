import { useState, type FormEvent } from "react";
import { api } from "../api";
import { DataTable } from "../components/DataTable";
import { DateField, TextAreaField } from "../components/Field";
import { Done, Empty, ErrorMessage } from "../components/Status";
import { useAction } from "../hooks";
import { useI18n } from "../i18n/context";
import type { DeviceDetail } from "../../shared/wire/devices";
import { clip } from "../workflow";

const EXCEPTION_STATES = ["requested", "approved", "rejected", "revoked", "expired"] as const;
type ExceptionState = (typeof EXCEPTION_STATES)[number];
const isExceptionState = (s: string): s is ExceptionState =>
  (EXCEPTION_STATES as readonly string[]).includes(s);

type Decision = "approve" | "reject" | "revoke";

/** What an admin may decide on an exception in each state. */
const DECISIONS: Partial<Record<ExceptionState, Decision[]>> = {
  requested: ["approve", "reject"],
  approved: ["revoke"],
};

export function ExceptionList({
  rows,
  canDecide,
  onDone,
}: {
  rows: DeviceDetail["exceptions"];
  canDecide: boolean;
  onDone: () => void;
}) {
  const { t, date } = useI18n();
  const state = (s: string) => (isExceptionState(s) ? t(`excState.${s}`) : s);
  if (rows.length === 0) return <Empty />;
  return (
    <DataTable
      label={t("device.exceptions")}
      testid="exceptions"
      columns={[
        "exc.id",
        "exc.state",
        "exc.justification",
        "exc.expiresOn",
        ...(canDecide ? (["exc.decision"] as const) : []),
      ]}
    >
      {rows.map((x) => (
        <tr key={x.id}>
          <th scope="row">{x.id}</th>
          <td>{state(x.state)}</td>
          <td className="wrap">{clip(x.justification)}</td>
          <td>{date(x.expiresOn)}</td>
          {canDecide && (
            <td>
              <DecisionForm
                id={x.id}
                decisions={isExceptionState(x.state) ? (DECISIONS[x.state] ?? []) : []}
                onDone={onDone}
              />
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}

function DecisionForm({ id, decisions, onDone }: { id: number; decisions: Decision[]; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState("");
  const action = useAction();
  if (decisions.length === 0) return null;
  const decide = async (decision: Decision) => {
    const r = await action.run(
      () => api.decideException(id, { decision, note: note.trim() }),
      (x) =>
        t("exc.decided", { id: x.id, state: isExceptionState(x.state) ? t(`excState.${x.state}`) : x.state }),
    );
    if (r) onDone();
  };
  return (
    <div className="decision">
      <label htmlFor={`exc-note-${id}`}>{t("exc.note", { id })}</label>
      <input
        id={`exc-note-${id}`}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-testid={`exception-note-${id}`}
      />
      {decisions.map((d) => (
        <button
          key={d}
          type="button"
          disabled={action.busy || !note.trim()}
          onClick={() => void decide(d)}
          data-testid={`exception-${d}-${id}`}
        >
          {t(`exc.${d}`)}
        </button>
      ))}
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </div>
  );
}

export function ExceptionRequestForm({ deviceId, onDone }: { deviceId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [justification, setJustification] = useState("");
  const [controls, setControls] = useState("");
  const [until, setUntil] = useState("");
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = controls
      .split("\n")
      .map((c) => c.trim())
      .filter(Boolean)
      .slice(0, 20);
    const r = await action.run(
      () =>
        api.requestException({
          device: deviceId,
          justification: justification.trim(),
          controls: list,
          until,
        }),
      (x) => t("exc.done", { id: x.id }),
    );
    if (r) {
      setJustification("");
      setControls("");
      onDone();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="exc-form-h" data-testid="exception-form">
      <h3 id="exc-form-h">{t("exc.request")}</h3>
      <TextAreaField
        id="exc-justification"
        label={t("exc.justification")}
        testid="exception-justification"
        required
        maxLength={4000}
        rows={3}
        value={justification}
        onChange={setJustification}
      />
      <TextAreaField
        id="exc-controls"
        label={t("exc.controls")}
        testid="exception-controls"
        required
        rows={3}
        value={controls}
        onChange={setControls}
      />
      <DateField
        id="exc-until"
        label={t("exc.until")}
        testid="exception-until"
        required
        value={until}
        onChange={setUntil}
      />
      <button type="submit" className="primary" disabled={action.busy} data-testid="exception-submit">
        {t("exc.submit")}
      </button>
      <ErrorMessage error={action.error} />
      <Done message={action.done} />
    </form>
  );
}
