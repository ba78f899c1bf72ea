import { useEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  AuditItem as AuditItemSchema,
  AuditPage as AuditPageSchema,
} from '../../../../worker/routes/fields';
import type { ApiFailure } from '../../api';
import { useLang } from '../../i18n';
import { AUDIT_ACTIONS, actionLabel, detailText, referenceText } from '../audit-words';
import { FieldFrame } from '../components/FieldFrame';
import { personApi } from '../session';
import { BusyButton, FormPanel } from './forms';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { failureProblem, type Problem, problemFor } from './problems';
import { AdminTable } from './tables';
import type { AdminMailbox, AdminPerson, AdminUnit } from './types';
import { AdminPage, LiveStatus, useFormat, useResource } from './ui';

type AuditItem = InferOutput<typeof AuditItemSchema>;
type AuditPage = InferOutput<typeof AuditPageSchema>;

const PAGE = 50;

interface Filters {
  from: string;
  to: string;
  actor: string;
  action: string;
  unitId: string;
  outcome: string;
}

const EMPTY: Filters = { from: '', to: '', actor: '', action: '', unitId: '', outcome: '' };
const KEYS = Object.keys(EMPTY) as (keyof Filters)[];

/** Action families the log can be narrowed to (the API also matches `family.*`). */
const ACTION_FAMILIES: { value: string; label: AdminTextKey }[] = [
  { value: 'mailbox.login', label: 'familyMailboxLogin' },
  { value: 'mailbox.phone', label: 'familyMailboxPhone' },
  { value: 'mailbox.password', label: 'familyMailboxPassword' },
  { value: 'reset', label: 'familyReset' },
  { value: 'mailbox.unlock', label: 'familyUnlock' },
  { value: 'person.unlock', label: 'familyPersonUnlock' },
  { value: 'network.refused', label: 'familyNetworkRefused' },
  { value: 'person.signin', label: 'familySignIn' },
  { value: 'person.enrol', label: 'familyEnrol' },
  { value: 'invite', label: 'familyInvite' },
  { value: 'delegate', label: 'delegates' },
  { value: 'role', label: 'familyRole' },
  { value: 'person', label: 'familyPerson' },
  { value: 'unit', label: 'familyUnit' },
  { value: 'mailbox', label: 'familyMailbox' },
  { value: 'networks.update', label: 'familyNetworks' },
  { value: 'audit.export', label: 'familyExport' },
];

const OUTCOME: Record<AuditItem['outcome'], { text: AdminTextKey; mark: string }> = {
  success: { text: 'outcome_success', mark: '✓' },
  failure: { text: 'outcome_failure', mark: '✕' },
  refused: { text: 'outcome_refused', mark: '⊘' },
};

function filtersFromAddress(): Filters {
  const params = new URLSearchParams(location.search);
  const filters = { ...EMPTY };
  for (const key of KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

/** A day typed in the page means that day on the administrator's own clock. */
function localMidnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/** The API's query for the filters: from the start of `from` to the end of `to`. */
function queryOf(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.from) q.set('from', localMidnight(filters.from));
  if (filters.to) q.set('to', localMidnight(filters.to, 1));
  if (filters.actor) q.set('actor', filters.actor);
  if (filters.action) q.set('action', filters.action);
  if (filters.unitId) q.set('unitId', filters.unitId);
  if (filters.outcome) q.set('outcome', filters.outcome);
  return q;
}

/** The audit log of everything, filtered, a page at a time, and as CSV for a spreadsheet. */
export function AuditLog() {
  const t = useAdminT();
  const lang = useLang();
  const format = useFormat();
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const people = useResource<AdminPerson[]>('/api/admin/people');
  const mailboxes = useResource<AdminMailbox[]>('/api/admin/mailboxes');
  const [form, setForm] = useState<Filters>(filtersFromAddress);
  const [applied, setApplied] = useState<Filters>(form);
  const [items, setItems] = useState<AuditItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const firstNew = useRef<string | null>(null);

  function shownText(n: number, more: boolean): string {
    if (n === 0) return t('auditNoneFiltered');
    if (more) return t('auditShownMore', { n });
    return n === 1 ? t('auditShownOne') : t('auditShown', { n });
  }

  async function fetchPage(filters: Filters, before: string | null) {
    const q = queryOf(filters);
    q.set('limit', String(PAGE));
    if (before) q.set('before', before);
    setBusy(true);
    const res = await personApi<AuditPage>('GET', `/api/admin/audit?${q}`);
    setBusy(false);
    return res;
  }

  async function show(filters: Filters) {
    const res = await fetchPage(filters, null);
    if (!res.ok) {
      setFailure(res);
      if (res.error === 'invalid_request') setProblems([failureProblem(res, 'f-from')]);
      return;
    }
    setFailure(null);
    setProblems([]);
    setItems(res.data.items);
    setNext(res.data.next);
    setStatus(shownText(res.data.items.length, res.data.next !== null));
  }

  useEffect(() => {
    show(applied);
  }, [applied]);

  // After "load more", focus moves to the first new entry, so the reader goes on from there.
  useEffect(() => {
    if (!firstNew.current) return;
    document.getElementById(`audit-${firstNew.current}`)?.focus();
    firstNew.current = null;
  }, [items]);

  function apply() {
    if (form.from && form.to && form.from > form.to) {
      return setProblems([{ field: 'f-to', message: t('auditToBeforeFrom') }]);
    }
    const params = new URLSearchParams();
    for (const key of KEYS) if (form[key]) params.set(key, form[key]);
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    setApplied({ ...form });
  }

  function clear() {
    setForm(EMPTY);
    history.replaceState(null, '', location.pathname);
    setApplied(EMPTY);
  }

  async function loadMore() {
    if (!next || !items) return;
    const res = await fetchPage(applied, next);
    if (!res.ok) return setFailure(res);
    setFailure(null);
    firstNew.current = res.data.items[0]?.id ?? null;
    const all = [...items, ...res.data.items];
    setItems(all);
    setNext(res.data.next);
    setStatus(shownText(all.length, res.data.next !== null));
  }

  const set = (key: keyof Filters) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const csv = `/api/admin/audit.csv${queryOf(applied).size ? `?${queryOf(applied)}` : ''}`;

  return (
    <AdminPage title={t('auditHeading')} intro={t('auditIntro')}>
      <FormPanel
        form={{ problems }}
        class="panel filters-form"
        heading={t('auditFilters')}
        onSubmit={apply}
      >
        <div class="filter-grid">
          <FieldFrame id="f-from" label={t('auditFrom')}>
            <input
              type="date"
              id="f-from"
              value={form.from}
              onInput={set('from')}
              aria-invalid={problemFor(problems, 'f-from') ? true : undefined}
            />
          </FieldFrame>
          <FieldFrame id="f-to" label={t('auditTo')}>
            <input
              type="date"
              id="f-to"
              value={form.to}
              onInput={set('to')}
              aria-invalid={problemFor(problems, 'f-to') ? true : undefined}
            />
          </FieldFrame>
          <FieldFrame id="f-actor" label={t('colWho')}>
            <select id="f-actor" value={form.actor} onChange={set('actor')}>
              <option value="">{t('auditAnyone')}</option>
              <optgroup label={t('auditActorPeople')}>
                {(people.data ?? []).map((p) => (
                  <option key={p.id} value={`person:${p.id}`}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('auditActorMailboxes')}>
                {(mailboxes.data ?? []).map((m) => (
                  <option key={m.id} value={`mailbox:${m.id}`}>
                    {m.username}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('auditActorOther')}>
                <option value="anonymous">{referenceText(lang, 'anonymous', null)}</option>
                <option value="system">{referenceText(lang, 'system', null)}</option>
              </optgroup>
            </select>
          </FieldFrame>
          <FieldFrame id="f-action" label={t('auditAction')}>
            <select id="f-action" value={form.action} onChange={set('action')}>
              <option value="">{t('auditAnyAction')}</option>
              {ACTION_FAMILIES.map((a) => (
                <option key={a.value} value={a.value}>
                  {t(a.label)}
                </option>
              ))}
            </select>
          </FieldFrame>
          <FieldFrame id="f-unit" label={t('unit')}>
            <select id="f-unit" value={form.unitId} onChange={set('unitId')}>
              <option value="">{t('allUnits')}</option>
              {(units.data ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </FieldFrame>
          <FieldFrame id="f-outcome" label={t('auditOutcome')}>
            <select id="f-outcome" value={form.outcome} onChange={set('outcome')}>
              <option value="">{t('auditAnyOutcome')}</option>
              <option value="success">{t('outcome_success')}</option>
              <option value="failure">{t('outcome_failure')}</option>
              <option value="refused">{t('outcome_refused')}</option>
            </select>
          </FieldFrame>
        </div>
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {t('auditApply')}
          </button>
          <button type="button" class="secondary" onClick={clear}>
            {t('auditClear')}
          </button>
        </div>
      </FormPanel>

      <div class="list-head">
        <h2 id="audit-list-heading">{t('auditListHeading')}</h2>
        {/* A same-origin GET carries the session cookie; the server names the file. */}
        <a class="button secondary" href={csv} download>
          {t('auditExport')}
        </a>
      </div>
      <p class="hint">{t('auditExportHint')}</p>
      <LiveStatus message={status} tone="info" />
      {failure && problems.length === 0 && (
        <div class="error" role="alert">
          <p>{failure.error === 'network' ? t('networkProblem') : failure.message}</p>
        </div>
      )}
      {items === null && !failure && <p class="hint">{t('loading')}</p>}
      {items && items.length > 0 && (
        <AdminTable
          labelledBy="audit-list-heading"
          class="audit-table"
          columns={[
            t('colTime'),
            t('colWho'),
            t('colWhat'),
            t('colTarget'),
            t('colAddress'),
            t('colOutcome'),
            t('colDetail'),
          ]}
        >
          {items.map((item) => {
            const outcome = OUTCOME[item.outcome] ?? { text: 'outcome_failure', mark: '?' };
            const known = item.action in AUDIT_ACTIONS;
            return (
              <tr key={item.id}>
                <th scope="row" data-label={t('colTime')} id={`audit-${item.id}`} tabIndex={-1}>
                  <time dateTime={item.at}>{format.dateTime(item.at)}</time>
                </th>
                <td data-label={t('colWho')}>{referenceText(lang, item.actor, item.actorLabel)}</td>
                <td data-label={t('colWhat')}>
                  {actionLabel(lang, item.action)}
                  {known && <span class="sub mono">{item.action}</span>}
                </td>
                <td data-label={t('colTarget')}>
                  {referenceText(lang, item.target, item.targetLabel)}
                </td>
                <td data-label={t('colAddress')} class="mono">
                  {item.ip ?? '–'}
                </td>
                <td data-label={t('colOutcome')}>
                  <span class={`outcome outcome-${item.outcome}`}>
                    <span aria-hidden="true">{outcome.mark} </span>
                    {t(outcome.text)}
                  </span>
                </td>
                <td data-label={t('colDetail')} class="detail">
                  {detailText(lang, item.detail, item.detailNames) || '–'}
                </td>
              </tr>
            );
          })}
        </AdminTable>
      )}
      {next && (
        <div class="buttons">
          <BusyButton class="secondary" busy={busy} label={t('auditMore')} onClick={loadMore} />
        </div>
      )}
    </AdminPage>
  );
}
