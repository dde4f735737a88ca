/** The exact markup of the shared form fields and tables: the label/id pairing, testids and error links the pages and axe-core rely on. */
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n/context";
import { DataTable } from "./DataTable";
import { DateField, FileField, NumberField, TextAreaField, TextField } from "./Field";
import { SelectField } from "./SelectField";

vi.stubGlobal("navigator", { language: "en-GB" });
vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });

const html = (e: ReactElement) => renderToStaticMarkup(createElement(I18nProvider, null, e));
const base = { id: "x-name", label: "Name", testid: "x-test" };
const noop = () => undefined;

describe("form fields", () => {
  it("pair the label with the control by id and keep the testid apart from it", () => {
    expect(
      html(createElement(TextField, { ...base, value: "v", onChange: noop, required: true, maxLength: 9 })),
    ).toBe(
      '<div class="field"><label for="x-name">Name</label>' +
        '<input id="x-name" data-testid="x-test" required="" maxLength="9" value="v"/></div>',
    );
  });

  it("point an invalid control at its message and show it under the control", () => {
    const out = html(createElement(FileField, { ...base, error: "Choose a file." }));
    expect(out).toBe(
      '<div class="field"><label for="x-name">Name</label>' +
        '<input id="x-name" data-testid="x-test" aria-invalid="true" aria-describedby="x-name-error" type="file"/>' +
        '<p id="x-name-error" class="error-text">Choose a file.</p></div>',
    );
    expect(html(createElement(FileField, { ...base, error: null }))).not.toContain("aria-");
  });

  it("give each kind its type and attributes, and wide fields their class", () => {
    expect(html(createElement(DateField, { ...base, value: "", onChange: noop }))).toContain('type="date"');
    const n = html(
      createElement(NumberField, { ...base, value: 3, onChange: noop, min: 1, max: 52, step: 1 }),
    );
    expect(n).toContain('type="number" min="1" max="52" step="1" value="3"');
    const area = html(
      createElement(TextAreaField, { ...base, value: "", onChange: noop, rows: 4, wide: true }),
    );
    expect(area).toMatch(
      /^<div class="field wide">.*<textarea id="x-name" data-testid="x-test" rows="4"><\/textarea>/,
    );
    expect(html(createElement(TextField, { ...base, value: "", onChange: noop }))).not.toContain("type=");
  });

  it("list a select's options in order with the current one selected", () => {
    const out = html(
      createElement(SelectField<"a" | "b">, {
        ...base,
        value: "b",
        onChange: noop,
        options: [
          { value: "a", label: "A" },
          { value: "b", label: "B" },
        ],
      }),
    );
    expect(out).toContain(
      '<select id="x-name" data-testid="x-test"><option value="a">A</option><option value="b" selected="">B</option></select>',
    );
  });
});

describe("DataTable", () => {
  it("heads its columns from messages, with a class where asked, inside a named scroller", () => {
    const out = html(
      createElement(DataTable, {
        label: "Jobs",
        testid: "t",
        columns: ["jobs.colBy", { key: "plan.colCost", className: "num" }],
        children: createElement("tr", null, createElement("td", null, "1")),
      }),
    );
    expect(out).toBe(
      '<div class="scroll" role="group" aria-label="Jobs" tabindex="0"><table data-testid="t"><thead><tr>' +
        '<th scope="col">Started by</th><th scope="col" class="num">Cost</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>',
    );
  });
});
