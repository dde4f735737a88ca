import { useEffect, useRef } from "react";
import { Header } from "./components/Header";
import { Loading } from "./components/Status";
import { I18nProvider } from "./i18n/context";
import { BoardPage } from "./pages/Board";
import { DevicePage } from "./pages/Device";
import { DevicesPage } from "./pages/Devices";
import { JobsPage } from "./pages/Jobs";
import { NotFoundPage } from "./pages/NotFound";
import { OverviewPage } from "./pages/Overview";
import { PlanPage } from "./pages/Plan";
import { ReportsPage } from "./pages/Reports";
import { ScreenPage } from "./pages/Screen";
import { SignInPage } from "./pages/SignIn";
import { match, useLocation } from "./router";
import { SessionProvider, useSession } from "./session";

function Route() {
  const { path } = useLocation();
  if (path === "/" || path === "/overview") return <OverviewPage />;
  if (path === "/devices") return <DevicesPage />;
  const device = match("/devices/:id", path);
  if (device?.id) return <DevicePage id={device.id} />;
  if (path === "/board") return <BoardPage />;
  if (path === "/plan") return <PlanPage />;
  if (path === "/jobs") return <JobsPage />;
  if (path === "/screen") return <ScreenPage />;
  if (path === "/reports") return <ReportsPage />;
  return <NotFoundPage />;
}

function Shell() {
  const { me } = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation, move focus to the new page's content, as a page load would for a screen reader.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  return (
    <>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        {me === undefined ? <Loading /> : me === null ? <SignInPage /> : <Route />}
      </main>
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}
