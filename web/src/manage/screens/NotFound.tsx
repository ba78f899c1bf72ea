import { StepHeading } from '../../components/StepHeading';
import { ROUTES } from '../../router';
import { type PeopleTextKey, usePT } from '../i18n-people';
import { useTitle } from '../use-title';

/** A page that goes no further: what happened, and the way back to the overview. */
function DeadEnd({ heading, body }: { heading: PeopleTextKey; body: PeopleTextKey }) {
  const t = usePT();
  useTitle(t(heading));
  return (
    <section>
      <StepHeading>{t(heading)}</StepHeading>
      <p>{t(body)}</p>
      <a class="button" href={ROUTES.manager}>
        {t('toHome')}
      </a>
    </section>
  );
}

export function Forbidden() {
  return <DeadEnd heading="forbiddenHeading" body="forbiddenBody" />;
}

export function NotFound() {
  return <DeadEnd heading="nothingHereHeading" body="notFoundBody" />;
}
