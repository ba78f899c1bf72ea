import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { UnitRoutine } from '../../../../worker/routes/routine.schemas';
import { StepHeading } from '../../components/StepHeading';
import { SupportContacts } from '../../components/SupportContacts';
import { type Lang, useLang } from '../../i18n';
import { unitPath } from '../../router';
import { formatCalendarDay, formatDay } from '../format';
import { usePT } from '../i18n-people';
import { useRT } from '../i18n-routine';
import { PagePending, useResource } from '../page-data';
import { useTitle } from '../use-title';
import '../routine.css';

/** GET /api/manager/units/{id}/routine. Dates are `YYYY-MM-DD`. */
export type RoutineView = InferOutput<typeof UnitRoutine>;

type T = ReturnType<typeof useRT>;

/** "60:e", "31:a", "2:a", "12:e": the Swedish ordinal of a number written in digits. */
function swedishOrdinal(n: number): string {
  const last = n % 10;
  const a = (last === 1 || last === 2) && n % 100 !== 11 && n % 100 !== 12;
  return `${n}:${a ? 'a' : 'e'}`;
}

/** "14 dagar före, 3 dagar före och samma dag" */
function reminderWhen(t: T, days: number[]): string {
  const parts = days.map((n) =>
    n === 0 ? t('sameDay') : n === 1 ? t('dayBefore') : t('daysBefore', { n }),
  );
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${t('and')} ${parts.at(-1)}`;
}

/** An address written out, so the printed page shows where to go; without "https://". */
function Address({ href }: { href: string }) {
  return (
    <a class="routine-url" href={href}>
      {href.replace(/^https?:\/\//, '').replace(/\/$/, '')}
    </a>
  );
}

/**
 * /chef/enhet/<id>/rutin: the unit's local routine for its mailbox passwords,
 * generated from what Nyckel knows, for the unit's managers and delegates. Printable on one
 * or two A4 pages (routine.css), and shared as this page's link: only signed-in people of the
 * unit can open it, which is what makes the link safe to pass around.
 */
export function RoutinePage({ id }: { id: string }) {
  const t = useRT();
  const pt = usePT();
  const lang = useLang();
  const { data: routine, failure } = useResource<RoutineView>(
    `/api/manager/units/${encodeURIComponent(id)}/routine`,
  );
  useTitle(routine ? t('heading', { unit: routine.unit.name }) : pt('loading'));

  if (!routine) return <PagePending failure={failure} />;

  const { unit, links, mailboxes, people, support, policy, reminders } = routine;
  const managers = people.filter((p) => p.role === 'manager');
  const delegates = people.filter((p) => p.role === 'delegate');
  const example = mailboxes[0]?.username;

  return (
    <article class="routine-page">
      <p class="back no-print">
        <a href={unitPath(unit.id)}>← {t('backToUnit', { unit: unit.name })}</a>
      </p>
      <StepHeading>{t('heading', { unit: unit.name })}</StepHeading>
      <p class="routine-lead">{t('lead', { unit: unit.name })}</p>
      <p class="hint">{t('generated', { date: formatDay(lang, routine.generatedAt) })}</p>

      <ShareButtons />

      <section aria-labelledby="routine-mailboxes">
        <h2 id="routine-mailboxes">{t('unitMailboxesHeading')}</h2>
        {mailboxes.length === 0 ? (
          <p>{t('mailboxesNone')}</p>
        ) : (
          <>
            <p>{t('unitMailboxesIntro')}</p>
            <ul class="routine-mailboxes">
              {mailboxes.map((m) => (
                <li key={m.id}>
                  <p class="card-title">{m.displayName}</p>
                  <dl class="facts compact">
                    <dt>{t('usernameLabel')}</dt>
                    <dd class="username">{m.username}</dd>
                    <dt>{t('phone')}</dt>
                    <dd>
                      {m.hasPhone ? (
                        <>
                          {t('phoneRegistered')} <span class="nowrap">{m.phoneMasked}</span>
                        </>
                      ) : (
                        t('phoneMissing')
                      )}
                    </dd>
                  </dl>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="routine-who">
        <h2 id="routine-who">{t('whoHeading')}</h2>
        <p>{t('whoIntro')}</p>
        <dl class="routine-people">
          <dt>{t('manager')}</dt>
          {managers.length === 0 ? (
            <dd>{t('managersNone')}</dd>
          ) : (
            managers.map((p) => <Person key={p.email} person={p} />)
          )}
          <dt>{t('delegates')}</dt>
          {delegates.length === 0 ? (
            <dd>{t('delegatesNone')}</dd>
          ) : (
            delegates.map((p) => <Person key={p.email} person={p} />)
          )}
        </dl>
      </section>

      {mailboxes.length > 0 && (
        <section aria-labelledby="routine-dates">
          <h2 id="routine-dates">{t('datesHeading')}</h2>
          <p>
            {policy.maxAgeDays === 90
              ? t('datesIntro90', { days: policy.maxAgeDays })
              : t('datesIntro', {
                  ordinal: swedishOrdinal(policy.maxAgeDays),
                  days: policy.maxAgeDays,
                })}{' '}
            {reminders.mailDays.length > 0 &&
              t('remindersMail', { when: reminderWhen(t, reminders.mailDays) })}{' '}
            {reminders.smsDays !== null && t('remindersSms', { days: reminders.smsDays })}
          </p>
          <div class="routine-date-groups">
            {mailboxes.map((m) => (
              <DateList key={m.id} mailbox={m} lang={lang} t={t} />
            ))}
          </div>
          <p class="hint">{t('datesEarly')}</p>
        </section>
      )}

      <section aria-labelledby="routine-change">
        <h2 id="routine-change">{t('routineChangeHeading')}</h2>
        <ol class="routine-steps">
          <li>{t('changeStep1')}</li>
          <li>
            {t('changeStep2')} <Address href={links.change} />
          </li>
          <li>{t('changeStep3')}</li>
          <li>{t('changeStep4')}</li>
          <li>{t('changeStep5')}</li>
          <li>{t('changeStep6')}</li>
        </ol>
        <h3>{t('rulesHeading')}</h3>
        <ul class="routine-rules">
          <li>{t('routineRuleLength', { n: policy.minLength })}</li>
          <li>
            {policy.minClasses >= 4
              ? t('ruleClassesAll')
              : t('routineRuleClasses', { n: policy.minClasses })}
          </li>
          <li>{t('ruleReuse')}</li>
        </ul>
      </section>

      <section aria-labelledby="routine-forgot">
        <h2 id="routine-forgot">{t('forgotHeading')}</h2>
        <p>{t('forgotIntro')}</p>
        <ol class="routine-steps">
          <li>
            {t('forgotStep1')} <Address href={links.reset} />
          </li>
          <li>{example ? t('forgotStep2', { username: example }) : t('forgotStep2Plain')}</li>
          <li>{t('forgotStep3')}</li>
          <li>{t('forgotStep4')}</li>
          <li>{t('forgotStep5')}</li>
        </ol>
        <h3>{t('noPhoneHeading')}</h3>
        <p>{t('noPhoneBody')}</p>
        <p>
          {t('registerAt')} <Address href={links.register} />
        </p>
        <p>{t('nobodyKnows')}</p>
      </section>

      <section aria-labelledby="routine-handover">
        <h2 id="routine-handover">{t('handoverHeading')}</h2>
        <ul class="routine-rules">
          <li>{t('handover1')}</li>
          <li>{t('handover2')}</li>
          <li>{t('handover3')}</li>
          <li>{t('handover4')}</li>
          <li>{t('handover5')}</li>
          <li>{t('handover6')}</li>
          <li>{t('handover7')}</li>
        </ul>
      </section>

      <section aria-labelledby="routine-support">
        <h2 id="routine-support">{t('routineSupportHeading')}</h2>
        {support.length > 0 ? (
          <>
            <p>{t('supportIntro')}</p>
            <SupportContacts channels={support} />
          </>
        ) : (
          <p>{t('supportNone')}</p>
        )}
      </section>

      <p class="print-only routine-latest">{t('latestVersion', { url: links.routine })}</p>
    </article>
  );
}

function Person({ person }: { person: RoutineView['people'][number] }) {
  return (
    <dd>
      {person.name}, <a href={`mailto:${person.email}`}>{person.email}</a>
    </dd>
  );
}

function DateList({
  mailbox,
  lang,
  t,
}: {
  mailbox: RoutineView['mailboxes'][number];
  lang: Lang;
  t: T;
}) {
  const heading = `routine-dates-${mailbox.id}`;
  return (
    <div class="routine-date-group">
      <h3 id={heading}>
        {mailbox.displayName} <span class="username">{mailbox.username}</span>
      </h3>
      <ol class="date-list" aria-labelledby={heading}>
        {mailbox.rotationDates.map((d) => (
          <li key={d.date} class={d.overdue ? 'date-overdue' : undefined}>
            <time dateTime={d.date}>{formatCalendarDay(lang, d.date)}</time>
            {d.overdue && <span class="date-note"> – {t('overdue')}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** "Skriv ut" and "Kopiera länk": this page's address, which only the unit's people can open. */
function ShareButtons() {
  const t = useRT();
  const [status, setStatus] = useState<'copied' | 'failed' | null>(null);
  const url = `${location.origin}${location.pathname}`;
  return (
    <div class="routine-share no-print">
      <div class="buttons">
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(url);
              setStatus('copied');
            } catch {
              setStatus('failed');
            }
          }}
        >
          {t('copyLink')}
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {status === 'copied'
          ? t('linkCopied')
          : status === 'failed'
            ? t('linkCopyFailed', { url })
            : ''}
      </p>
      <p class="hint">{t('shareHint')}</p>
    </div>
  );
}
