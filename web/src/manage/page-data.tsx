import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Offline } from '../components/Offline';
import { usePT } from './i18n-people';
import { NotFound } from './screens/NotFound';
import { personApi } from './session';

export type Load<T> =
  | { state: 'loading'; data: T | null; failure?: undefined }
  | { state: 'ok'; data: T; failure?: undefined }
  | { state: 'failed'; data: T | null; failure: ApiFailure };

/**
 * The one GET a screen stands on (a list, a mailbox, a unit, an identity, a routine), read
 * when the screen opens and whenever `path` changes; `reload` reads it again after an action
 * changed it. A failed read keeps what was there. `null` reads nothing.
 */
export function useResource<T>(path: string | null) {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading', data: null });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    if (path === null) return;
    // Only the newest request may draw: a slow answer for an earlier filter must not win.
    const request = ++latest.current;
    const res = await personApi<T>('GET', path);
    if (request !== latest.current) return;
    setLoad((prev) =>
      res.ok ? { state: 'ok', data: res.data } : { state: 'failed', data: prev.data, failure: res },
    );
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...load, reload };
}

/**
 * A page's actions (an unlock, a reset, a fresh link), numbered as they start. A message
 * says what one action did and is shown while that action is `latest`: the next action,
 * whichever part of the page it starts in, takes the message away, so no line on the page
 * speaks of an earlier state than the one shown.
 */
export function usePageActions() {
  const count = useRef(0);
  const [latest, setLatest] = useState(0);
  const begin = useCallback(() => {
    count.current += 1;
    setLatest(count.current);
    return count.current;
  }, []);
  return { latest, begin };
}

export type PageActions = ReturnType<typeof usePageActions>;

/** What a detail page shows until its data is there: not found, the error, or "loading". */
export function PagePending({ failure }: { failure?: ApiFailure | null }): JSX.Element {
  const t = usePT();
  if (failure?.status === 404) return <NotFound />;
  if (failure?.error === 'network') return <Offline />;
  return (
    <section>
      <ErrorBox failure={failure ?? null} />
      {!failure && (
        <p class="hint" role="status">
          {t('loading')}
        </p>
      )}
    </section>
  );
}
