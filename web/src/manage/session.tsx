import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type { PersonView as PersonViewSchema } from '../../../worker/routes/people-auth.schemas';
import { type ApiResult, api } from '../api';
import { ROUTES } from '../router';

type PersonView = InferOutput<typeof PersonViewSchema>;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Why the sign-in page is shown: said once there, then forgotten. */
export type SignedOutReason = 'idle' | 'expired' | 'signed_out';

/**
 * The server ends a person's session after 30 minutes without a request (PERSON_IDLE_MINUTES).
 * The page ends it too, so a tablet left on a desk stops showing the unit's mailboxes.
 */
const IDLE_MS = 30 * 60_000;

/*
 * The signed-in person lives in memory only: never in localStorage, sessionStorage or
 * IndexedDB (a shared tablet must not keep it), and the service worker never caches /api/*.
 * `undefined` means not asked yet.
 */
let person: PersonView | null | undefined;
let reason: SignedOutReason | null = null;
let notice: string | null = null;
let lastActivity = Date.now();
let pending: Promise<PersonView | null> | null = null;
const listeners = new Set<() => void>();
/** The router's `route` for the session's end, which runs outside any component. */
let route: (url: string, replace?: boolean) => void = () => {};

function publish() {
  for (const listener of listeners) listener();
}

function signInPath(next: string) {
  return next === ROUTES.signIn || next.startsWith(`${ROUTES.signIn}?`)
    ? ROUTES.signIn
    : `${ROUTES.signIn}?next=${encodeURIComponent(next)}`;
}

/** Ends what the page shows of a session and goes to the sign-in page, back here after it. */
function endLocally(why: SignedOutReason) {
  if (person === null && reason === why) return;
  person = null;
  reason = why;
  publish();
  const here = location.pathname + location.search;
  route(why === 'signed_out' ? ROUTES.signIn : signInPath(here), true);
}

/**
 * Calls the API for a signed-in person. A 401 `unauthorized` means the session ended (idle,
 * 12 hours, revoked): the page says so on the sign-in page and comes back here afterwards.
 */
export async function personApi<T>(
  method: Method,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const res = await api<T>(method, path, body);
  if (res.ok) lastActivity = Date.now();
  else if (res.status === 401 && res.error === 'unauthorized' && person) {
    endLocally(Date.now() - lastActivity >= IDLE_MS - 60_000 ? 'idle' : 'expired');
  }
  return res;
}

/** Asks the server who is signed in (also after a step-up or an enrolment elsewhere). */
export function refreshPerson(): Promise<PersonView | null> {
  pending ??= api<PersonView>('GET', '/api/people/session')
    .then((res) => {
      if (res.ok) {
        lastActivity = Date.now();
        setPerson(res.data);
        return res.data;
      }
      // A network failure keeps what the page knew; the next call will tell.
      if (res.status === 401 || person === undefined) {
        person = null;
        publish();
      }
      return person ?? null;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** After a sign-in or enrolment: the PersonView the server answered with. */
export function setPerson(view: PersonView, message: string | null = null) {
  person = view;
  reason = null;
  notice = message;
  lastActivity = Date.now();
  publish();
}

export async function signOut() {
  await api('DELETE', '/api/people/session');
  endLocally('signed_out');
}

/** The reason the person was signed out, read once by the sign-in page. */
export function takeSignedOutReason(): SignedOutReason | null {
  const why = reason;
  reason = null;
  return why;
}

/** A one-time message for the next screen ("you are signed in"), read once. */
export function takeNotice(): string | null {
  const text = notice;
  notice = null;
  return text;
}

/*
 * The context carries a fresh object on every change: Preact tells consumers about a new
 * value only when it differs loosely (`!=`), and undefined → null would not.
 */
export const PersonContext = createContext<{ person: PersonView | null | undefined }>({
  person: undefined,
});

/** The signed-in person, or null (also while the page is still asking). */
export function usePerson(): PersonView | null {
  return useContext(PersonContext).person ?? null;
}

/** Like usePerson, but tells "not asked yet" (undefined) from "signed out" (null). */
export function usePersonState(): PersonView | null | undefined {
  return useContext(PersonContext).person;
}

export function PersonProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState({ person });
  const view = state.person;
  route = useLocation().route;
  useEffect(() => {
    const listener = () => setState({ person });
    listeners.add(listener);
    if (person === undefined) void refreshPerson();
    else listener();
    return () => {
      listeners.delete(listener);
    };
  }, []);

  // The idle timeout, checked while a signed-in page is open (a sleeping tablet catches up
  // when it wakes). The server has ended the session by then; this ends what is on screen.
  useEffect(() => {
    if (!view) return;
    const timer = setInterval(() => {
      if (Date.now() - lastActivity < IDLE_MS) return;
      void api('DELETE', '/api/people/session');
      endLocally('idle');
    }, 15_000);
    return () => clearInterval(timer);
  }, [view]);

  return <PersonContext.Provider value={state}>{children}</PersonContext.Provider>;
}

/** Only a same-origin path may be the `next` page after signing in (no open redirect). */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return ROUTES.manager;
  }
  try {
    const url = new URL(raw, location.origin);
    if (url.origin !== location.origin) return ROUTES.manager;
    const path = url.pathname + url.search;
    return path.startsWith(ROUTES.signIn) || path.startsWith(ROUTES.invite) ? ROUTES.manager : path;
  } catch {
    return ROUTES.manager;
  }
}
