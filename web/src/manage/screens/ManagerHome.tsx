import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { MailboxSummary as MailboxSummarySchema } from '../../../../worker/routes/fields';
import type {
  IdentityTask as IdentityTaskSchema,
  Overview as OverviewSchema,
  Task as TaskSchema,
} from '../../../../worker/routes/manager.schemas';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { Fact } from '../../components/Fact';
import { StepHeading } from '../../components/StepHeading';
import { type Lang, useLang } from '../../i18n';
import { identityPath, MANAGER_PAGES, mailboxPath, unitPath } from '../../router';
import { StatusChip } from '../components/StatusChip';
import { formatCalendarDay, formatDay, formatRelativeDays, formatWhen } from '../format';
import { actionLabel, usePT } from '../i18n-people';
import { personApi, takeNotice, usePerson } from '../session';
import { useTitle } from '../use-title';
import { fullName } from './NewHires';

type Overview = InferOutput<typeof OverviewSchema>;
type OverviewUnit = Overview['units'][number];
type MailboxSummary = InferOutput<typeof MailboxSummarySchema>;
type Task = InferOutput<typeof TaskSchema>;
type IdentityTask = InferOutput<typeof IdentityTaskSchema>;

type Translate = ReturnType<typeof usePT>;

function taskText(t: Translate, lang: Lang, task: Task): string {
  switch (task.kind) {
    case 'overdue':
      return t('task_overdue', { date: task.dueAt ? formatDay(lang, task.dueAt) : '' });
    case 'due_soon':
      return t('task_due_soon', {
        date: task.dueAt ? formatDay(lang, task.dueAt) : '',
        rel: task.dueAt ? formatRelativeDays(lang, task.dueAt) : '',
      });
    case 'locked':
      return task.lockedUntil
        ? t('task_locked', { time: formatWhen(lang, task.lockedUntil) })
        : t('task_locked_open');
    case 'no_phone':
      return t('task_no_phone');
  }
}

/** "Lösenord återställt med sms-kod, 3 maj 14:05", or "Ingen ännu". */
function activityText(t: Translate, lang: Lang, m: MailboxSummary): string {
  if (!m.lastActivity || !m.lastActivityAt) return t('noActivity');
  return `${actionLabel(lang, m.lastActivity)}, ${formatWhen(lang, m.lastActivityAt)}`;
}

/** A mailbox's number, password dates and latest activity, as facts of a `dl.facts` list. */
export function MailboxFacts({ m }: { m: MailboxSummary }) {
  const t = usePT();
  const lang = useLang();
  return (
    <>
      <Fact term={t('mobileNumber')}>
        <span class="nowrap">{m.phoneMasked ?? t('noPhone')}</span>
      </Fact>
      <Fact term={t('colChanged')}>{formatDay(lang, m.passwordChangedAt)}</Fact>
      <Fact term={t('colDue')}>{formatDay(lang, m.passwordExpiresAt)}</Fact>
      <Fact term={t('colActivity')}>{activityText(t, lang, m)}</Fact>
    </>
  );
}

/**
 * The chips of a mailbox: locked or disabled (`state`), the password's due status (`due`),
 * or both. The table puts each next to what it is about.
 */
export function MailboxChips({
  m,
  show = 'all',
}: {
  m: MailboxSummary;
  show?: 'all' | 'state' | 'due';
}) {
  const state = show !== 'due';
  if (show === 'state' && !m.disabled && !m.locked) return null;
  return (
    <span class="chips">
      {state && m.disabled && <StatusChip kind="disabled" />}
      {state && m.locked && <StatusChip kind="locked" />}
      {show !== 'state' && <StatusChip kind={m.status} />}
    </span>
  );
}

/**
 * /chef: what needs doing first (overdue, locked, due within 14 days, no number), then every
 * mailbox of the person's units: a table on a tablet, cards on a phone.
 */
export function ManagerHome() {
  const t = usePT();
  const lang = useLang();
  const person = usePerson();
  const [notice] = useState(takeNotice);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useTitle(t('overview'));
  const identityTasks = overview?.identityTasks ?? [];

  useEffect(() => {
    personApi<Overview>('GET', '/api/manager/overview').then((res) => {
      if (res.ok) setOverview(res.data);
      else setFailure(res);
    });
  }, []);

  return (
    <section class="manager-home">
      <StepHeading>{t('overview')}</StepHeading>
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      {person && <p>{t('homeIntro', { name: person.name })}</p>}
      <ErrorBox failure={failure} />
      {!overview && !failure && (
        <p class="hint" role="status">
          {t('loading')}
        </p>
      )}
      {overview && (
        <>
          <section aria-labelledby="tasks-heading" class="tasks">
            <h2 id="tasks-heading">
              {t('tasksHeading', { n: overview.tasks.length + identityTasks.length })}
            </h2>
            {overview.tasks.length + identityTasks.length === 0 ? (
              <p>{t('tasksNone')}</p>
            ) : (
              <ul class="task-list">
                {/* A new hire cannot start without their password: these come first. */}
                {identityTasks.map((task) => (
                  <IdentityTaskItem key={`identity-${task.identityId}`} task={task} />
                ))}
                {overview.tasks.map((task) => (
                  <li key={`${task.kind}-${task.mailboxId}`} class={`task task-${task.kind}`}>
                    <StatusChip kind={task.kind} />
                    <div class="task-body">
                      <a href={mailboxPath(task.mailboxId)} class="task-link">
                        {task.displayName} <span class="username">({task.username})</span>
                      </a>
                      <p class="task-detail">{taskText(t, lang, task)}</p>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            <p class="people-link">
              <a href={MANAGER_PAGES.newHires}>{t('homeNewHiresLink')}</a>
            </p>
          </section>
          {overview.units.length === 0 && <p>{t('noUnits')}</p>}
          {overview.units.map((unit) => (
            <UnitMailboxes key={unit.id} unit={unit} />
          ))}
        </>
      )}
    </section>
  );
}

/** "Hämta initialt lösenord för Anna Andersson — börjar 1 december", to the identity. */
function IdentityTaskItem({ task }: { task: IdentityTask }) {
  const t = usePT();
  const lang = useLang();
  const name = fullName(task);
  const date = formatCalendarDay(lang, task.startDate, { year: false });
  return (
    <li class="task task-initial_password">
      <StatusChip kind="initial_password" />
      <div class="task-body">
        <a href={identityPath(task.identityId)} class="task-link">
          {t('task_initial_password', { name })}
        </a>
        <p class="task-detail">
          {t(task.started ? 'task_initial_started' : 'task_initial_starts', { date })}
        </p>
      </div>
    </li>
  );
}

function UnitMailboxes({ unit }: { unit: OverviewUnit }) {
  const t = usePT();
  const lang = useLang();
  const headingId = `unit-${unit.id}`;
  const caption = t('mailboxesOf', { unit: unit.name });
  return (
    <section aria-labelledby={headingId} class="unit-block">
      <div class="unit-head">
        <h2 id={headingId}>{unit.name}</h2>
        <p class="hint">{t('yourRole', { role: t(`role_${unit.role}`) })}</p>
        <a href={unitPath(unit.id)} class="unit-link">
          {t('unitLink', { unit: unit.name })}
        </a>
      </div>
      {unit.mailboxes.length === 0 ? (
        <p>{t('noMailboxes')}</p>
      ) : (
        <>
          <table class="data-table mailbox-table wide-only">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mailbox')}</th>
                <th scope="col">{t('mobileNumber')}</th>
                <th scope="col">{t('colChanged')}</th>
                <th scope="col">{t('colDue')}</th>
                <th scope="col">{t('colActivity')}</th>
              </tr>
            </thead>
            <tbody>
              {unit.mailboxes.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <a href={mailboxPath(m.id)} class="row-link">
                      {m.displayName}
                    </a>
                    <span class="username">{m.username}</span>
                    <MailboxChips m={m} show="state" />
                  </th>
                  <td class="nowrap">{m.phoneMasked ?? <StatusChip kind="no_phone" />}</td>
                  <td class="nowrap">{formatDay(lang, m.passwordChangedAt)}</td>
                  <td>
                    <span class="nowrap">{formatDay(lang, m.passwordExpiresAt)}</span>
                    <MailboxChips m={m} show="due" />
                  </td>
                  <td>{activityText(t, lang, m)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul class="mailbox-cards narrow-only" aria-label={caption}>
            {unit.mailboxes.map((m) => (
              <li key={m.id} class="card">
                <a href={mailboxPath(m.id)} class="card-link">
                  {m.displayName}
                  <span class="username">{m.username}</span>
                </a>
                <MailboxChips m={m} />
                <dl class="facts compact">
                  <MailboxFacts m={m} />
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
