import { useState, type FormEvent } from "react";
import type { ApiError } from "../api";
import { ErrorMessage } from "../components/Status";
import { asApiError, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { useSession } from "../session";

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  usePageTitle("signin.title");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(name, password);
    } catch (err) {
      setError(asApiError(err)); // 401 (wrong name or password) and 429 (too many tries) carry their message
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>{t("signin.title")}</h1>
      <p>{t("signin.intro")}</p>
      <form onSubmit={(e) => void submit(e)} data-testid="signin-form">
        <div className="field">
          <label htmlFor="signin-name">{t("signin.name")}</label>
          <input
            id="signin-name"
            name="username"
            autoComplete="username"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="signin-name"
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t("signin.password")}</label>
          <input
            id="signin-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="signin-password"
          />
        </div>
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {busy ? t("signin.busy") : t("signin.submit")}
        </button>
      </form>
      <ErrorMessage error={error} />
    </div>
  );
}
