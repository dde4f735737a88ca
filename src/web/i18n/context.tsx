import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { MessageKey } from "./en";
import * as f from "./format";
import type { Lang, PluralBase, Vars } from "./format";

const STORAGE_KEY = "camsweep.lang";

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === "en" || v === "fr") return v;
  } catch {
    // storage disabled: fall through to the browser's language
  }
  return navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  tn: (base: PluralBase, count: number, vars?: Vars) => string;
  number: (n: number) => string;
  percent: (ratio: number) => string;
  money: (n: number) => string;
  bytes: (n: number) => string;
  date: (v: string | null | undefined) => string;
  dateTime: (v: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);

  // The <html lang> attribute follows the switch, so screen readers pronounce the page right.
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted: the choice still holds for this page
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => f.translate(lang, key, vars),
      tn: (base, count, vars) => f.translatePlural(lang, base, count, vars),
      number: (n) => f.formatNumber(lang, n),
      percent: (r) => f.formatPercent(lang, r),
      money: (n) => f.formatMoney(lang, n),
      bytes: (n) => f.formatBytes(lang, n),
      date: (v) => f.formatDate(lang, v),
      dateTime: (v) => f.formatDateTime(lang, v),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
