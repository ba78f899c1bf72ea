import { useAppData } from '../app-data';
import { useT } from '../i18n';

/** On the municipal network, say before anything is typed why a number cannot be registered. */
export function InternalNetworkNotice() {
  const t = useT();
  const { internal } = useAppData();
  if (internal !== true) return null;
  return (
    <div class="notice" role="status">
      <p>{t('internalBody')}</p>
    </div>
  );
}
