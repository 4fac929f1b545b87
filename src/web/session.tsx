/**
 * Who is signed in, and what they may do. The session lives in an HttpOnly cookie the page cannot
 * read; the page only asks the server (GET /auth/session) and keeps the answer, including the
 * anti-forgery token, in memory. Any request that finds the session gone sends the person to the
 * sign-in page, which brings them back to where they were.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import { authApi, type Permission, type SessionAccount, type SessionInfo } from './auth-api.ts';
import { currentLocation, navigate } from './router.tsx';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out' }
  /** Password accepted; the second factor (or its enrolment) is still to come. */
  | { status: 'pending'; info: SessionInfo }
  | { status: 'signed_in'; info: SessionInfo; account: SessionAccount }
  /** The server could not be asked. */
  | { status: 'unreachable' };

interface SessionValue {
  state: SessionState;
  account: SessionAccount | null;
  can: (permission: Permission) => boolean;
  /** Asks the server again (after a sign-in step) and returns what it said. */
  refresh: () => Promise<SessionState>;
  signOut: () => Promise<void>;
  /** The session has ended elsewhere (logged out everywhere): forget it and go to sign-in. */
  ended: () => void;
}

const SessionContext = createContext<SessionValue>({
  state: { status: 'loading' },
  account: null,
  can: () => false,
  refresh: async () => ({ status: 'loading' }),
  signOut: async () => {},
  ended: () => {},
});

export const LOGIN_PATH = '/login';

/** Where to return after signing in: only a path of this application, never another site. */
export function safeNext(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value === LOGIN_PATH || value.startsWith(`${LOGIN_PATH}?`)) return '/';
  return value;
}

/** Sends the person to the sign-in page, remembering the page they were on. */
export function goToLogin(): void {
  const { pathname, search } = currentLocation();
  if (pathname === LOGIN_PATH) return;
  const here = pathname + search;
  navigate(here === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(here)}`, { replace: true });
}

const stateOf = (info: SessionInfo): SessionState =>
  info.stage === 'complete' && info.account
    ? { status: 'signed_in', info, account: info.account }
    : { status: 'pending', info };

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async (): Promise<SessionState> => {
    let next: SessionState;
    try {
      next = stateOf(await authApi.session());
    } catch (error) {
      setCsrfToken(null);
      next = error instanceof ApiError && error.status === 401 ? { status: 'signed_out' } : { status: 'unreachable' };
    }
    setState(next);
    return next;
  }, []);

  const ended = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'signed_out' });
    goToLogin();
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signed out already, or the server is away: the page forgets the session either way.
    }
    setCsrfToken(null);
    setState({ status: 'signed_out' });
    navigate(LOGIN_PATH, { replace: true });
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(ended);
    return () => setUnauthenticatedHandler(null);
  }, [refresh, ended]);

  const value = useMemo<SessionValue>(() => {
    const account = state.status === 'signed_in' ? state.account : null;
    const permissions = new Set<string>(account?.permissions ?? []);
    return {
      state,
      account,
      can: (permission) => permissions.has(permission),
      refresh,
      signOut,
      ended,
    };
  }, [state, refresh, signOut, ended]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** The signed-in account; only for pages rendered once the sign-in is complete. */
export function useAccount(): SessionAccount {
  const { account } = useSession();
  if (!account) throw new Error('useAccount outside a signed-in page');
  return account;
}
