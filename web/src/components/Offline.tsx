import { useT } from '../i18n';
import { StepHeading } from './StepHeading';

/**
 * What a screen draws when its chunk or its data could not be fetched (offline, or a deploy
 * replaced the chunk): a page of its own with a heading, so it is not a dead end, and a button
 * that loads the page again, from the network once it is back.
 */
export function Offline() {
  const t = useT();
  return (
    <section>
      <StepHeading>{t('offlineHeading')}</StepHeading>
      <p class="error" role="alert">
        {t('networkProblem')}
      </p>
      <button type="button" onClick={() => location.reload()}>
        {t('tryAgain')}
      </button>
    </section>
  );
}
