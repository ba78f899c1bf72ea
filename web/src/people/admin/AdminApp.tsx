import { StepHeading } from '../../components/StepHeading';
import { useLang } from '../../i18n';
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
import { AppLink, useFormat, useResource } from './ui';
import { Webhook } from './Webhook';
import './admin.css';
import type { InferOutput } from 'valibot';
import type { AdminOverview as AdminOverviewSchema } from '../../../../worker/routes/admin.schemas';
import { useTitle } from '../use-title';

type AdminOverview = InferOutput<typeof AdminOverviewSchema>;

/** The administrator's sections, in the order the overview and the menu list them. */
const SECTIONS: { path: string; title: AdminTextKey; hint: AdminTextKey }[] = [
  { path: '/admin/enheter', title: 'unitsHeading', hint: 'unitsHint' },
  { path: '/admin/brevlador', title: 'mailboxesHeading', hint: 'mailboxesHint' },
  { path: '/admin/personer', title: 'peopleHeading', hint: 'peopleHint' },
  { path: '/admin/nyanstallda', title: 'importHeading', hint: 'importHint' },
  { path: '/admin/natverk', title: 'networksHeading', hint: 'networksHint' },
  { path: '/admin/tjanstetoken', title: 'tokensHeading', hint: 'tokensHint' },
  { path: '/admin/katalog', title: 'dirHeading', hint: 'dirHint' },
  { path: '/admin/webhook', title: 'webhookHeading', hint: 'webhookHint' },
  { path: '/admin/logg', title: 'auditHeading', hint: 'auditHint' },
];

/**
 * The warning of an unusual reset rate; nothing at all while the rate is ordinary. It lives
 * in a status region that is there from the start, so a screen reader hears it when it
 * arrives after the page has drawn, without being interrupted.
 */
function ResetAlert({ alert }: { alert: AdminOverview['resetAlert'] }) {
  const t = useAdminT();
  const format = useFormat();
  const locale = useLang() === 'sv' ? 'sv-SE' : 'en-GB';
  return (
    <div role="status">
      {alert && (
        <section class="panel panel-warn admin-alert" aria-labelledby="reset-alert-heading">
          <h2 id="reset-alert-heading">{t('resetAlertHeading')}</h2>
          <p>
            {t(alert.startsCapped ? 'resetAlertStartsAtLeast' : 'resetAlertStarts', {
              count: alert.startsLastHour.toLocaleString(locale),
              limit: alert.threshold.toLocaleString(locale),
            })}
          </p>
          {alert.shareSpent && (
            <p>
              {t('resetAlertShareSpent', {
                max: alert.shareMax.toLocaleString(locale),
                time: format.when(alert.shareRenewsAt),
              })}
            </p>
          )}
          <p>{t('resetAlertMeaning')}</p>
          <p>
            <AppLink href="/admin/logg?action=reset" class="admin-alert-link">
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
  useTitle(t('adminHeading'));
  // A failed load shows nothing more than an ordinary day would: the menu is what matters.
  const overview = useResource<AdminOverview>('/api/admin/overview');
  return (
    <section>
      <StepHeading>{t('adminHeading')}</StepHeading>
      <p>{t('adminIntro')}</p>
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
    </section>
  );
}

/** The menu between the sections; the current one is marked for screen readers too. */
function AdminNav({ path }: { path: string }) {
  const t = useAdminT();
  return (
    <nav class="admin-nav" aria-label={t('adminNav')}>
      <ul>
        <li>
          <AppLink href="/admin" current={path === '/admin'}>
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

function screenFor(path: string) {
  switch (path) {
    case '/admin/enheter':
      return <Units />;
    case '/admin/brevlador':
      return <Mailboxes />;
    case '/admin/personer':
      return <People />;
    case '/admin/natverk':
      return <Networks />;
    case '/admin/nyanstallda':
      return <IdentityImport />;
    case '/admin/tjanstetoken':
      return <ServiceTokens />;
    case '/admin/katalog':
      return <Directory />;
    case '/admin/webhook':
      return <Webhook />;
    case '/admin/logg':
      return <AuditLog />;
  }
  const person = /^\/admin\/personer\/([^/]+)$/.exec(path);
  if (person?.[1]) return <PersonDetail id={decodeURIComponent(person[1])} />;
  return null;
}

function NotFound() {
  const t = useAdminT();
  useTitle(t('notFound'));
  return (
    <section>
      <StepHeading>{t('notFound')}</StepHeading>
      <AppLink href="/admin" class="button">
        {t('toOverview')}
      </AppLink>
    </section>
  );
}

/**
 * The administrator screens (lazy-loaded by PeopleApp for every /admin path, so none of
 * this reaches the mailbox flow's first screen). The API refuses anyone who is not an
 * administrator; this only decides what to draw.
 */
export default function AdminApp({ path }: { path: string }) {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const screen = clean === '/admin' ? <Overview /> : screenFor(clean);
  return (
    <div class="admin">
      <AdminNav path={clean} />
      {/* A new key per path mounts the screen afresh, so its heading takes focus. */}
      <div key={clean}>{screen ?? <NotFound />}</div>
    </div>
  );
}
