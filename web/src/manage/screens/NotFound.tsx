import { StepHeading } from '../../components/StepHeading';
import { ROUTES } from '../../router';
import { usePT } from '../i18n-people';
import { useTitle } from '../use-title';

export function Forbidden() {
  const t = usePT();
  useTitle(t('forbiddenHeading'));
  return (
    <section>
      <StepHeading>{t('forbiddenHeading')}</StepHeading>
      <p>{t('forbiddenBody')}</p>
      <a class="button" href={ROUTES.manager}>
        {t('toHome')}
      </a>
    </section>
  );
}

export function NotFound() {
  const t = usePT();
  useTitle(t('nothingHereHeading'));
  return (
    <section>
      <StepHeading>{t('nothingHereHeading')}</StepHeading>
      <p>{t('notFoundBody')}</p>
      <a class="button" href={ROUTES.manager}>
        {t('toHome')}
      </a>
    </section>
  );
}
