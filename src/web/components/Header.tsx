import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/en";
import { LANGS } from "../i18n/format";
import { useLocation } from "../router";
import { useSession } from "../session";
import { Link } from "./Link";

const NAV: { to: string; key: MessageKey; id: string }[] = [
  { to: "/", key: "nav.overview", id: "overview" },
  { to: "/devices", key: "nav.devices", id: "devices" },
  { to: "/board", key: "nav.board", id: "board" },
  { to: "/plan", key: "nav.plan", id: "plan" },
  { to: "/jobs", key: "nav.jobs", id: "jobs" },
  { to: "/screen", key: "nav.screen", id: "screen" },
  { to: "/reports", key: "nav.reports", id: "reports" },
];

/** The current section: /devices/42 is still under Devices. */
const isCurrent = (to: string, path: string): boolean =>
  to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`);

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="lang" role="group" aria-label={t("lang.label")}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          onClick={() => setLang(l)}
          data-testid={`lang-${l}`}
          title={t(`lang.${l}`)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

export function Header() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const { path } = useLocation();
  return (
    <header className="top">
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <div className="bar">
        <span className="brand">{t("app.name")}</span>
        <LanguageSwitch />
        {me && (
          <div className="who">
            <span>{t("nav.signedInAs", { name: me.name, role: t(`role.${me.role}`) })}</span>
            <button type="button" onClick={() => void signOut()} data-testid="sign-out">
              {t("nav.signOut")}
            </button>
          </div>
        )}
      </div>
      {me && (
        <nav aria-label={t("nav.label")}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link
                  to={n.to}
                  aria-current={isCurrent(n.to, path) ? "page" : undefined}
                  data-testid={`nav-${n.id}`}
                >
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
