import { useState, type FormEvent } from "react";
import type { ApiError } from "../api";
import { TextField } from "../components/Field";
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
        <TextField
          id="signin-name"
          label={t("signin.name")}
          testid="signin-name"
          name="username"
          autoComplete="username"
          required
          value={name}
          onChange={setName}
        />
        <TextField
          id="signin-password"
          label={t("signin.password")}
          testid="signin-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {busy ? t("signin.busy") : t("signin.submit")}
        </button>
      </form>
      <ErrorMessage error={error} />
    </div>
  );
}
