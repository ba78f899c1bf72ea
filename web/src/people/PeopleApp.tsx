import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { StepHeading } from '../components/StepHeading';
import { ID_PAGES, MANAGER_PAGES, navigate, onLinkClick, ROUTES } from '../router';
import { usePT } from './i18n-people';
import { PeopleLayout } from './PeopleLayout';
import { Routine } from './routine-entry';
import { Enrol } from './screens/Enrol';
import { IdentityPage } from './screens/IdentityPage';
import { MailboxPage } from './screens/MailboxPage';
import { ManagerHome } from './screens/ManagerHome';
import { NewHires } from './screens/NewHires';
import { SignIn } from './screens/SignIn';
import { UnitPage } from './screens/UnitPage';
import { PersonProvider, usePersonState } from './session';
import { StepUpProvider } from './step-up';
import { useTitle } from './use-title';
import './identities.css';

/**
 * The screens for managers, delegates and administrators: a chunk of its own, loaded only
 * when one of their paths is opened, so the mailbox flow's first screen stays small.
 */
export function PeopleApp({ path }: { path: string }) {
  return (
    <PersonProvider>
      <StepUpProvider>
        <PeopleLayout path={path}>
          <PeopleRoutes path={path} />
        </PeopleLayout>
      </StepUpProvider>
    </PersonProvider>
  );
}

function PeopleRoutes({ path }: { path: string }) {
  if (path === ROUTES.signIn) return <SignIn />;
  if (path === ROUTES.invite) return <Enrol />;
  return <SignedIn path={path} />;
}

/** Everything else needs a session: without one, the sign-in page, and back here after. */
function SignedIn({ path }: { path: string }) {
  const t = usePT();
  const person = usePersonState();
  useEffect(() => {
    if (person === null) {
      navigate(`${ROUTES.signIn}?next=${encodeURIComponent(path + location.search)}`, {
        replace: true,
      });
    }
  }, [person, path]);
  if (!person) {
    return (
      <p class="hint" role="status">
        {t('loading')}
      </p>
    );
  }
  const mailbox = ID_PAGES.mailbox.match(path);
  const unit = ID_PAGES.unit.match(path);
  const identity = ID_PAGES.identity.match(path);
  const routine = ID_PAGES.routine.match(path);
  if (path === ROUTES.manager) return <ManagerHome />;
  if (path === MANAGER_PAGES.newHires) return <NewHires />;
  if (identity) return <IdentityPage key={identity} id={decodeURIComponent(identity)} />;
  if (mailbox) return <MailboxPage key={mailbox} id={decodeURIComponent(mailbox)} />;
  if (unit) return <UnitPage key={unit} id={decodeURIComponent(unit)} />;
  if (routine) return <Routine key={routine} id={decodeURIComponent(routine)} />;
  if (path === ROUTES.admin || path.startsWith(`${ROUTES.admin}/`)) {
    return person.isAdmin ? <Admin path={path} /> : <Forbidden />;
  }
  return <NotFound />;
}

type AdminModule = { default: ComponentType<{ path: string }> };
let adminModule: Promise<AdminModule> | null = null;

/** The administrator's screens: a further chunk, since most people never open them. */
function Admin({ path }: { path: string }) {
  const t = usePT();
  const [AdminApp, setAdminApp] = useState<ComponentType<{ path: string }> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    adminModule ??= import('./admin/AdminApp');
    adminModule
      .then((m) => setAdminApp(() => m.default))
      .catch(() => {
        adminModule = null;
        setFailed(true);
      });
  }, []);
  if (AdminApp) return <AdminApp path={path} />;
  return (
    <p class={failed ? 'error' : 'hint'} role={failed ? 'alert' : 'status'}>
      {failed ? t('loadFailed') : t('loading')}
    </p>
  );
}

export function Forbidden() {
  const t = usePT();
  useTitle(t('forbiddenHeading'));
  return (
    <section>
      <StepHeading>{t('forbiddenHeading')}</StepHeading>
      <p>{t('forbiddenBody')}</p>
      <a class="button" href={ROUTES.manager} onClick={onLinkClick}>
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
      <a class="button" href={ROUTES.manager} onClick={onLinkClick}>
        {t('toHome')}
      </a>
    </section>
  );
}
