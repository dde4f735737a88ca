import { controlProps, Field, fieldProps, type FieldBase } from "./Field";

export interface Option<T extends string> {
  value: T;
  label: string;
}

/** A labelled select over `options`, the only values it can yield (hence the cast). */
export function SelectField<T extends string>(
  p: FieldBase & { value: T; onChange: (v: T) => void; options: readonly Option<T>[] },
) {
  return (
    <Field {...fieldProps(p)}>
      <select {...controlProps(p)} value={p.value} onChange={(e) => p.onChange(e.target.value as T)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
