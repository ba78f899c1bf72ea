import { useAppData } from '../app-data';
import { useLang, useT } from '../i18n';
import { ROUTES } from '../router';

/**
 * Three large actions. On the municipal network only registering a number is held back, with
 * the reason, before anything is typed: its code must reach a phone off that network. Reset
 * and change work from any computer and browser.
 */
export function Start() {
  const t = useT();
  const lang = useLang();
  const { internal } = useAppData();
  return (
    <section aria-labelledby="start-heading">
      <h1 id="start-heading" tabIndex={-1} class="step-heading">
        {t('startHeading')}
      </h1>
      {internal === true && (
        <div class="notice" role="status">
          <h2>{t('internalHeading')}</h2>
          <p>{t('internalBody')}</p>
        </div>
      )}
      <ul class="actions">
        <li>
          {internal === true ? (
            <span class="action disabled" aria-disabled="true">
              <span class="action-title">{t('actionRegister')}</span>
              <span class="action-hint">{t('registerDisabled')}</span>
            </span>
          ) : (
            <a class="action" href={ROUTES.register}>
              <span class="action-title">{t('actionRegister')}</span>
              <span class="action-hint">{t('actionRegisterHint')}</span>
            </a>
          )}
        </li>
        <li>
          <a class="action" href={ROUTES.reset}>
            <span class="action-title">{t('actionReset')}</span>
            <span class="action-hint">{t('actionResetHint')}</span>
          </a>
        </li>
        <li>
          <a class="action" href={ROUTES.change}>
            <span class="action-title">{t('actionChange')}</span>
            <span class="action-hint">{t('actionChangeHint')}</span>
          </a>
        </li>
      </ul>
      {/* Modest on purpose: the staff's three actions stay the page; the link's words live
          here so the mailbox flow's text table stays as it is. */}
      <p class="people-link">
        <a href={ROUTES.signIn}>
          {lang === 'sv'
            ? 'För chefer och administratörer: logga in'
            : 'For managers and administrators: sign in'}
        </a>
      </p>
    </section>
  );
}
