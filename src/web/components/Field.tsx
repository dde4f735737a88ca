import type { ChangeEvent, ReactNode, Ref } from "react";

/** What ties a control to its label and to the tests: the id (the label's htmlFor) and the data-testid. */
export interface FieldBase {
  id: string;
  label: string;
  testid: string;
  /** Shown under the control, which points at it (aria-describedby) and is marked invalid; null when valid. */
  error?: string | null;
  /** Takes the row's spare width (.field.wide in styles.css). */
  wide?: boolean;
}

/** A labelled control in its .field box, with its error message (id `<id>-error`) under it. */
export function Field({
  id,
  label,
  error,
  wide,
  children,
}: Omit<FieldBase, "testid"> & { children: ReactNode }) {
  return (
    <div className={wide ? "field wide" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p id={`${id}-error`} className="error-text">
          {error}
        </p>
      )}
    </div>
  );
}

/** The control's own side of the pairing: its id, data-testid and, when invalid, the link to the message. */
export const controlProps = ({ id, testid, error }: FieldBase) => ({
  id,
  "data-testid": testid,
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : undefined,
});

/** The Field box's share of a control's props. */
export const fieldProps = ({ id, label, error, wide }: FieldBase) => ({ id, label, error, wide });

interface TextProps extends FieldBase {
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  maxLength?: number;
}

/** A text control's side of its props: the pairing, the constraints, the value and the setter. */
const textProps = (p: TextProps) => ({
  ...controlProps(p),
  required: p.required,
  maxLength: p.maxLength,
  value: p.value,
  onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => p.onChange(e.target.value),
});

/** A one-line text input; `type` only where it is not plain text. */
export function TextField(
  p: TextProps & { type?: "search" | "password" | "date"; name?: string; autoComplete?: string },
) {
  return (
    <Field {...fieldProps(p)}>
      <input {...textProps(p)} name={p.name} type={p.type} autoComplete={p.autoComplete} />
    </Field>
  );
}

/** A date input; its value is the ISO day (YYYY-MM-DD) or "". */
export function DateField(p: Omit<TextProps, "maxLength">) {
  return <TextField {...p} type="date" />;
}

/** A number input; onChange gets valueAsNumber (NaN when cleared). */
export function NumberField(
  p: FieldBase & {
    value: number;
    onChange: (v: number) => void;
    min?: number;
    max?: number;
    step?: number;
    required?: boolean;
  },
) {
  return (
    <Field {...fieldProps(p)}>
      <input
        {...controlProps(p)}
        type="number"
        min={p.min}
        max={p.max}
        step={p.step}
        required={p.required}
        value={p.value}
        onChange={(e) => p.onChange(e.target.valueAsNumber)}
      />
    </Field>
  );
}

export function TextAreaField(p: TextProps & { rows: number; spellCheck?: boolean }) {
  return (
    <Field {...fieldProps(p)}>
      <textarea {...textProps(p)} rows={p.rows} spellCheck={p.spellCheck} />
    </Field>
  );
}

/** A file input, read through `ref` on submit (a file input's value cannot be set by React). */
export function FileField(p: FieldBase & { ref?: Ref<HTMLInputElement>; accept?: string }) {
  return (
    <Field {...fieldProps(p)}>
      <input {...controlProps(p)} type="file" accept={p.accept} ref={p.ref} />
    </Field>
  );
}
