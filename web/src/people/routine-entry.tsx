import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { usePT } from './i18n-people';

type RoutineModule = { RoutinePage: ComponentType<{ id: string }> };
let routineModule: Promise<RoutineModule> | null = null;

/**
 * The routine page and its print stylesheet are a chunk of their own, like the administrator's
 * screens: a few people open it now and then, to print or share it.
 */
export function Routine({ id }: { id: string }) {
  const t = usePT();
  const [Page, setPage] = useState<RoutineModule['RoutinePage'] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    routineModule ??= import('./screens/RoutinePage');
    routineModule
      .then((m) => setPage(() => m.RoutinePage))
      .catch(() => {
        routineModule = null;
        setFailed(true);
      });
  }, []);
  if (Page) return <Page id={id} />;
  return (
    <p class={failed ? 'error' : 'hint'} role={failed ? 'alert' : 'status'}>
      {failed ? t('loadFailed') : t('loading')}
    </p>
  );
}
