import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, setCsrf, setUnauthorizedListener } from "./api";
import type { Me } from "../shared/wire/session";

interface Session {
  /** undefined while the first GET /api/v1/me is under way; null when signed out. */
  me: Me | null | undefined;
  signIn: (name: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    // Any 401 means the session is gone (expired, signed out elsewhere): back to the sign-in page.
    setUnauthorizedListener(() => {
      setCsrf(null);
      setMe(null);
    });
    const ac = new AbortController();
    api.me(ac.signal).then(setMe, (e: unknown) => {
      if (e instanceof DOMException && e.name === "AbortError") return;
      // 401, or the server unreachable: either way the sign-in page is where to start.
      setMe(null);
    });
    return () => ac.abort();
  }, []);

  const signIn = useCallback(async (name: string, password: string) => {
    const s = await api.signIn(name, password);
    setCsrf(s.csrf);
    setMe(await api.me());
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setCsrf(null);
      setMe(null);
    }
  }, []);

  const value = useMemo(() => ({ me, signIn, signOut }), [me, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession outside SessionProvider");
  return ctx;
}
