import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { Route, useLocation } from 'preact-iso';
import { ChunkRouter, ID_PAGES, lazyScreen, MANAGER_PAGES, ROUTES } from '../router';
import { usePT } from './i18n-people';
import { ManageLayout } from './ManageLayout';
import { Enrol } from './screens/Enrol';
import { IdentityPage } from './screens/IdentityPage';
import { MailboxPage } from './screens/MailboxPage';
import { ManagerHome } from './screens/ManagerHome';
import { NewHires } from './screens/NewHires';
import { Forbidden, NotFound } from './screens/NotFound';
import { SignIn } from './screens/SignIn';
import { UnitPage } from './screens/UnitPage';
import { PersonProvider, usePersonState } from './session';
import { StepUpProvider } from './step-up';
import './identities.css';

function ChunkFailed() {
  const t = usePT();
  return (
    <p class="error" role="alert">
      {t('loadFailed')}
    </p>
  );
}

/**
 * The routine page and its print stylesheet are a chunk of their own: a few people open it
 * now and then, to print or share it.
 */
const RoutinePage = lazyScreen(
  () => import('./screens/RoutinePage').then((m) => m.RoutinePage),
  ChunkFailed,
);

/** The administrator's screens: a further chunk, since most people never open them. */
const AdminApp = lazyScreen(() => import('./admin/AdminApp').then((m) => m.default), ChunkFailed);

/** A page of one id: another id mounts it afresh, so its heading takes the focus again. */
function byId(Page: ComponentType<{ id: string }>) {
  return ({ id }: { id: string }) => <Page key={id} id={id} />;
}

const Identity = byId(IdentityPage);
const Mailbox = byId(MailboxPage);
const Unit = byId(UnitPage);
const Routine = byId(RoutinePage);

/** The API refuses anyone who is not an administrator; this only decides what to draw. */
function Admin() {
  return usePersonState()?.isAdmin ? <AdminApp /> : <Forbidden />;
}

/**
 * Every page but the sign-in and the invite needs a session: without one, the sign-in page,
 * and back here after it.
 */
function SignedIn({ children }: { children: ComponentChildren }) {
  const t = usePT();
  const person = usePersonState();
  const { path, url, route } = useLocation();
  const open = path === ROUTES.signIn || path === ROUTES.invite;
  useEffect(() => {
    if (!open && person === null) {
      route(`${ROUTES.signIn}?next=${encodeURIComponent(url)}`, true);
    }
  }, [open, person, url]);
  if (open || person) return <>{children}</>;
  return (
    <p class="hint" role="status">
      {t('loading')}
    </p>
  );
}

/**
 * The screens for managers, delegates and administrators, and the one place their routes are
 * declared (the administrator's sections are in admin/AdminApp.tsx): a chunk of its own,
 * loaded only when one of their paths is opened, so the mailbox flow's first screen stays
 * small.
 */
export function ManageApp() {
  const t = usePT();
  return (
    <PersonProvider>
      <StepUpProvider>
        <ManageLayout>
          <SignedIn>
            <ChunkRouter
              hint={
                <p class="hint" role="status">
                  {t('loading')}
                </p>
              }
            >
              <Route path={ROUTES.signIn} component={SignIn} />
              <Route path={ROUTES.invite} component={Enrol} />
              <Route path={ROUTES.manager} component={ManagerHome} />
              <Route path={MANAGER_PAGES.newHires} component={NewHires} />
              <Route path={ID_PAGES.identity.route} component={Identity} />
              <Route path={ID_PAGES.mailbox.route} component={Mailbox} />
              <Route path={ID_PAGES.unit.route} component={Unit} />
              <Route path={ID_PAGES.routine.route} component={Routine} />
              <Route path={ROUTES.admin} component={Admin} />
              {/* The administrator's app routes the rest of the path itself. */}
              <Route path={`${ROUTES.admin}/*`} component={Admin} />
              <Route default component={NotFound} />
            </ChunkRouter>
          </SignedIn>
        </ManageLayout>
      </StepUpProvider>
    </PersonProvider>
  );
}
