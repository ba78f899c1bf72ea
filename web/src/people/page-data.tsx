import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { usePT } from './i18n-people';
import { NotFound } from './PeopleApp';
import { personApi } from './session';

/**
 * The one GET a detail page stands on (a mailbox, a unit, an identity, a routine), read once
 * when the page opens; `reload` reads it again after an action changed it.
 */
export function usePageData<T>(path: string) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const reload = async () => {
    const res = await personApi<T>('GET', path);
    if (res.ok) setData(res.data);
    else setFailure(res);
  };
  useEffect(() => {
    void reload();
  }, [path]);
  return { data, failure, reload };
}

/** What a detail page shows until its data is there: not found, the error, or "loading". */
export function PagePending({ failure }: { failure: ApiFailure | null }): JSX.Element {
  const t = usePT();
  if (failure?.status === 404) return <NotFound />;
  return (
    <section>
      <ErrorBox failure={failure} />
      {!failure && (
        <p class="hint" role="status">
          {t('loading')}
        </p>
      )}
    </section>
  );
}
