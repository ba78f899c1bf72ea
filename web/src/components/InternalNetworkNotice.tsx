import type { ComponentChildren } from 'preact';
import { useAppData } from '../app-data';
import { useT } from '../i18n';
import { ROUTES } from '../router';

/**
 * On the municipal network, signing in with the mailbox's password cannot work (the API
 * refuses it there): the notice says why and what to do instead of the form (`children`), so
 * no one types a password only to have it refused and cleared. Unknown (offline, the check
 * failed): the form, and the API's answer says it if need be.
 */
export function InternalNetworkNotice({ children }: { children: ComponentChildren }) {
  const t = useT();
  const { internal } = useAppData();
  if (internal !== true) return <>{children}</>;
  return (
    <>
      <div class="notice" role="status">
        <p>{t('internalBody')}</p>
      </div>
      <div class="buttons">
        <a class="button secondary" href={ROUTES.start}>
          {t('home')}
        </a>
      </div>
    </>
  );
}
