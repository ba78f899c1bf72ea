import type { ComponentProps } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n';
import type { ShareWithStaff as Step } from './ShareWithStaff';

type Props = ComponentProps<typeof Step>;
let module: Promise<{ ShareWithStaff: typeof Step }> | null = null;

/**
 * The share step after a reset or change, loaded when it is reached so the first
 * screen stays within its budget. Without the chunk (offline), the flow simply goes on.
 */
export function ShareStep(props: Props) {
  const t = useT();
  const [Loaded, setLoaded] = useState<typeof Step | null>(null);
  useEffect(() => {
    module ??= import('./ShareWithStaff');
    module
      .then((m) => setLoaded(() => m.ShareWithStaff))
      .catch(() => {
        module = null;
        props.onFinish();
      });
  }, []);
  if (Loaded) return <Loaded {...props} />;
  return (
    <p class="hint" role="status">
      {t('working')}
    </p>
  );
}
