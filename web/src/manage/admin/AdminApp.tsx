import { Route, Router, useLocation } from 'preact-iso';
import { useLang } from '../../i18n';
import { ADMIN_PAGES, ID_PAGES, ROUTES } from '../../router';
import { locale } from '../format';
import { AuditLog } from './AuditLog';
import { Directory } from './Directory';
import { IdentityImport } from './IdentityImport';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { Mailboxes } from './Mailboxes';
import { Networks } from './Networks';
import { People } from './People';
import { PersonDetail } from './PersonDetail';
import { ServiceTokens } from './ServiceTokens';
import { Units } from './Units';
import { AdminPage, AppLink, useFormat, useResource } from './ui';
import { Webhook } from './Webhook';
import './admin.css';
import type { InferOutput } from 'valibot';
import type { AdminOverview as AdminOverviewSchema } from '../../../../worker/routes/admin.schemas';

type AdminOverview = InferOutput<typeof AdminOverviewSchema>;

/** The administrator's sections, in the order the overview and the menu list them. */
const SECTIONS: { path: string; title: AdminTextKey; hint: AdminTextKey }[] = [
  { path: ADMIN_PAGES.units, title: 'unitsHeading', hint: 'unitsHint' },
  { path: ADMIN_PAGES.mailboxes, title: 'mailboxesHeading', hint: 'mailboxesHint' },
  { path: ADMIN_PAGES.people, title: 'peopleHeading', hint: 'peopleHint' },
  { path: ADMIN_PAGES.import, title: 'importHeading', hint: 'importHint' },
  { path: ADMIN_PAGES.networks, title: 'networksHeading', hint: 'networksHint' },
  { path: ADMIN_PAGES.tokens, title: 'tokensHeading', hint: 'tokensHint' },
  { path: ADMIN_PAGES.directory, title: 'dirHeading', hint: 'dirHint' },
  { path: ADMIN_PAGES.webhook, title: 'webhookHeading', hint: 'webhookHint' },
  { path: ADMIN_PAGES.audit, title: 'auditHeading', hint: 'auditHint' },
];

/**
 * The warning of an unusual reset rate; nothing at all while the rate is ordinary. It lives
 * in a status region that is there from the start, so a screen reader hears it when it
 * arrives after the page has drawn, without being interrupted.
 */
function ResetAlert({ alert }: { alert: AdminOverview['resetAlert'] }) {
  const t = useAdminT();
  const format = useFormat();
  const numbers = locale(useLang());
  return (
    <div role="status">
      {alert && (
        <section class="panel panel-warn admin-alert" aria-labelledby="reset-alert-heading">
          <h2 id="reset-alert-heading">{t('resetAlertHeading')}</h2>
          <p>
            {t(alert.startsCapped ? 'resetAlertStartsAtLeast' : 'resetAlertStarts', {
              count: alert.startsLastHour.toLocaleString(numbers),
              limit: alert.threshold.toLocaleString(numbers),
            })}
          </p>
          {alert.shareSpent && (
            <p>
              {t('resetAlertShareSpent', {
                max: alert.shareMax.toLocaleString(numbers),
                time: format.when(alert.shareRenewsAt),
              })}
            </p>
          )}
          <p>{t('resetAlertMeaning')}</p>
          <p>
            <AppLink href={`${ADMIN_PAGES.audit}?action=reset`} class="admin-alert-link">
              {t('resetAlertLink')}
            </AppLink>
          </p>
        </section>
      )}
    </div>
  );
}

function Overview() {
  const t = useAdminT();
  // A failed load shows nothing more than an ordinary day would: the menu is what matters.
  const overview = useResource<AdminOverview>('/api/admin/overview');
  return (
    <AdminPage title={t('administration')} intro={t('adminIntro')}>
      <ResetAlert alert={overview.data?.resetAlert ?? null} />
      <ul class="actions admin-sections">
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <AppLink href={s.path} class="action">
              <span class="action-title">{t(s.title)}</span>
              <span class="action-hint">{t(s.hint)}</span>
            </AppLink>
          </li>
        ))}
      </ul>
    </AdminPage>
  );
}

/** The menu between the sections; the current one is marked for screen readers too. */
function AdminNav({ path }: { path: string }) {
  const t = useAdminT();
  return (
    <nav class="admin-nav" aria-label={t('administration')}>
      <ul>
        <li>
          <AppLink href={ROUTES.admin} current={path === ROUTES.admin}>
            {t('overview')}
          </AppLink>
        </li>
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <AppLink href={s.path} current={path === s.path || path.startsWith(`${s.path}/`)}>
              {t(s.title)}
            </AppLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The sections' routes, below /admin: the managing app hands this app the rest of the path,
 * as preact-iso does for a nested Router, so /admin/enheter arrives here as /enheter.
 */
const local = (path: string) => path.slice(ROUTES.admin.length) || '/';

function Person({ id }: { id: string }) {
  // Another person mounts the page afresh, so its heading takes the focus again.
  return <PersonDetail key={id} id={id} />;
}

function NotFound() {
  const t = useAdminT();
  return (
    <AdminPage title={t('notFoundHeading')}>
      <AppLink href={ROUTES.admin} class="button">
        {t('toOverview')}
      </AppLink>
    </AdminPage>
  );
}

/**
 * The administrator screens and the one place their routes are declared (lazy-loaded by
 * ManageApp for every /admin path, so none of this reaches the mailbox flow's first screen).
 * The API refuses anyone who is not an administrator; this only decides what to draw. Each
 * section is a route of its own, so moving to another mounts it afresh and its heading takes
 * the focus.
 */
export default function AdminApp() {
  const { path } = useLocation();
  return (
    <div class="admin">
      <AdminNav path={path} />
      <div>
        <Router>
          <Route path={local(ROUTES.admin)} component={Overview} />
          <Route path={local(ADMIN_PAGES.units)} component={Units} />
          <Route path={local(ADMIN_PAGES.mailboxes)} component={Mailboxes} />
          <Route path={local(ADMIN_PAGES.people)} component={People} />
          <Route path={local(ADMIN_PAGES.networks)} component={Networks} />
          <Route path={local(ADMIN_PAGES.import)} component={IdentityImport} />
          <Route path={local(ADMIN_PAGES.tokens)} component={ServiceTokens} />
          <Route path={local(ADMIN_PAGES.directory)} component={Directory} />
          <Route path={local(ADMIN_PAGES.webhook)} component={Webhook} />
          <Route path={local(ADMIN_PAGES.audit)} component={AuditLog} />
          <Route path={local(ID_PAGES.adminPerson.route)} component={Person} />
          <Route default component={NotFound} />
        </Router>
      </div>
    </div>
  );
}
