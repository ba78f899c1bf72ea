import { useAppData } from '../app-data';
import { useT } from '../i18n';

/** Rule 2: on the municipal network, say why signing in with the mailbox password fails. */
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
