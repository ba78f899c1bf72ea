import { useAppData } from '../app-data';
import { useT } from '../i18n';
import { ROUTES } from '../router';
import { SupportContacts } from './SupportContacts';
import { useNow } from './use-now';

/** How long the guide says an SMS can take; after it the advice below appears. */
const SMS_WAIT_MS = 3 * 60_000;

/**
 * What to do when no code comes, shown once the guide's 3 minutes have passed since the
 * first code was sent. The same words for every username: whether the mailbox has a number
 * is never said, only that having none is one reason, and who can help then.
 */
export function NoSmsAdvice({ sentAt }: { sentAt: number }) {
  const t = useT();
  const support = useAppData().info?.support ?? [];
  const now = useNow(Date.now() < sentAt + SMS_WAIT_MS);
  if (now < sentAt + SMS_WAIT_MS) return null;
  return (
    <section class="advice" aria-labelledby="no-sms-heading">
      <h2 id="no-sms-heading">{t('noSmsHeading')}</h2>
      <p>{t('noSmsNoNumber')}</p>
      <p>
        {t('noSmsManager')}{' '}
        <a class="block-link" href={ROUTES.register}>
          {t('actionRegister')}
        </a>
      </p>
      {support.length > 0 && (
        <>
          <p>{t('noSmsSupport')}</p>
          <SupportContacts channels={support} />
        </>
      )}
    </section>
  );
}
