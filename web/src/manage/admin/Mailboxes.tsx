import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { canonicalUsername } from '../../../../worker/domain/username';
import type { MailboxCreated } from '../../../../worker/routes/admin.schemas';
import type { MailboxLinked } from '../../../../worker/routes/directory.schemas';
import type { ApiFailure } from '../../api';
import { useAppData } from '../../app-data';
import { NewPasswordFields, passwordReady } from '../../components/NewPasswordFields';
import { FieldError } from '../components/ErrorSummary';
import { CheckboxField, RadioGroup } from './choices';
import { ConfirmDialog, FormDialog, useConfirm } from './confirm';
import { FormButtons, FormPanel, FormToggle, InputField, UnitSelect, useForm } from './forms';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { OneTimePassword } from './OneTimePassword';
import { failureProblem, type Problem } from './problems';
import { ResourceTable, RowButton } from './tables';
import type { AdminMailbox, AdminUnit, DirectoryView } from './types';
import { AdminPage, LiveStatus, useFormat, useResource } from './ui';

type CreatedMailbox = InferOutput<typeof MailboxCreated>;
type Linked = InferOutput<typeof MailboxLinked>;
type Translate = ReturnType<typeof useAdminT>;

const STATUS_TEXT: Record<AdminMailbox['status'], AdminTextKey> = {
  ok: 'status_ok',
  due_soon: 'statusDueSoon',
  overdue: 'status_overdue',
};
/** A mark next to the words, so the status never rests on colour alone. */
const STATUS_MARK: Record<AdminMailbox['status'], string> = {
  ok: '✓',
  due_soon: '!',
  overdue: '✕',
};

/** The unit filter lives in the address (?enhet=), so a link from "Enheter" can set it. */
function unitFromAddress(): string {
  return new URLSearchParams(location.search).get('enhet') ?? '';
}

function mailboxPath(id: string) {
  return `/api/admin/mailboxes/${encodeURIComponent(id)}`;
}

/** A new password typed twice; `clear` forgets it once the server has it. */
function usePasswordPair() {
  const [password, onPassword] = useState('');
  const [confirmation, onConfirmation] = useState('');
  return {
    fields: { password, confirmation, onPassword, onConfirmation },
    clear() {
      onPassword('');
      onConfirmation('');
    },
  };
}

/**
 * The new password twice with the live checklist, inside a group that the error summary's
 * link leads to and that carries a problem with the password as a whole.
 */
function PasswordGroup({
  id,
  error,
  username,
  pair,
}: {
  id: string;
  error?: string;
  username: string;
  pair: ReturnType<typeof usePasswordPair>;
}) {
  const { policy } = useAppData();
  return (
    <div id={id} class={error ? 'field-invalid' : ''}>
      {error && <FieldError message={error} />}
      <NewPasswordFields policy={policy} username={username} {...pair.fields} />
    </div>
  );
}

/** A refusal against `field`; a password on the common list is said so after the API's words. */
function passwordRefusal(t: Translate, failure: ApiFailure, field?: string): Problem {
  const problem = failureProblem(failure, field);
  if (failure.violations?.includes('common')) problem.message += ` ${t('violation_common')}`;
  return problem;
}

function CreateMailbox({
  units,
  initialUnit,
  onCreated,
}: {
  units: AdminUnit[];
  initialUnit: string;
  onCreated: (created: CreatedMailbox) => void;
}) {
  const t = useAdminT();
  const form = useForm();
  const { policy } = useAppData();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [unitId, setUnitId] = useState(initialUnit);
  const [mode, setMode] = useState<'generate' | 'type'>('generate');
  const pair = usePasswordPair();

  function check(): Problem[] {
    const found: Problem[] = [];
    if (canonicalUsername(username).kind !== 'ok') {
      found.push({ field: 'mb-username', message: t('usernameInvalid') });
    }
    if (!displayName.trim()) {
      found.push({ field: 'mb-display', message: t('displayNameMissing') });
    }
    if (!unitId) found.push({ field: 'mb-unit', message: t('unitMissing') });
    const { password, confirmation } = pair.fields;
    if (mode === 'type' && !passwordReady(policy, username, password, confirmation)) {
      found.push({ field: 'mb-password', message: t('passwordNotReady') });
    }
    return found;
  }

  async function submit() {
    if (!form.valid(check())) return;
    const canonical = canonicalUsername(username);
    const res = await form.send<CreatedMailbox>(
      'POST',
      '/api/admin/mailboxes',
      {
        username: canonical.kind === 'ok' ? canonical.username : username,
        displayName: displayName.trim(),
        unitId,
        ...(mode === 'type' ? { password: pair.fields.password } : {}),
      },
      (failure) =>
        passwordRefusal(
          t,
          failure,
          failure.error === 'policy'
            ? 'mb-password'
            : failure.error === 'conflict'
              ? 'mb-username'
              : undefined,
        ),
    );
    if (!res.ok) return;
    pair.clear();
    onCreated(res.data);
  }

  return (
    <FormPanel form={form} heading={t('mailboxCreateHeading')} onSubmit={submit}>
      <div class="form-grid">
        <InputField
          {...form.field('mb-username', username, setUsername)}
          label={t('usernameLabel')}
          hint={t('mailboxUsernameHint')}
          maxLength={64}
          plain
        />
        <InputField
          {...form.field('mb-display', displayName, setDisplayName)}
          label={t('mailboxDisplayName')}
          hint={t('mailboxDisplayNameHint')}
          maxLength={100}
        />
      </div>
      <UnitSelect
        {...form.field('mb-unit', unitId, setUnitId)}
        label={t('mailboxUnit')}
        units={units}
      />
      <RadioGroup
        {...form.field('mb-mode', mode, setMode)}
        label={t('initialPassword')}
        options={[
          { value: 'generate', label: t('passwordGenerate'), hint: t('passwordGenerateHint') },
          { value: 'type', label: t('passwordType') },
        ]}
      />
      {mode === 'type' && (
        <PasswordGroup
          id="mb-password"
          error={form.error('mb-password')}
          username={username.trim().toLowerCase()}
          pair={pair}
        />
      )}
      <FormButtons busy={form.busy} label={t('mailboxCreate')} />
    </FormPanel>
  );
}

function MoveDialog({
  mailbox,
  units,
  onDone,
  onClose,
}: {
  mailbox: AdminMailbox;
  units: AdminUnit[];
  onDone: (unitName: string) => void;
  onClose: () => void;
}) {
  const t = useAdminT();
  const form = useForm();
  const [unitId, setUnitId] = useState('');

  async function move() {
    if (!unitId) return form.setProblems([{ field: 'move-unit', message: t('unitMissing') }]);
    const res = await form.send('PATCH', mailboxPath(mailbox.id), { unitId }, 'move-unit');
    if (res.ok) onDone(units.find((u) => u.id === unitId)?.name ?? '');
  }

  return (
    <FormDialog
      title={t('moveHeading', { username: mailbox.username })}
      form={form}
      onSubmit={move}
      submitLabel={t('moveConfirm')}
      onClose={onClose}
    >
      <p>{t('moveBody', { unit: mailbox.unitName ?? '–' })}</p>
      <UnitSelect
        {...form.field('move-unit', unitId, setUnitId)}
        label={t('moveTo')}
        units={units.filter((u) => u.id !== mailbox.unitId)}
      />
    </FormDialog>
  );
}

/**
 * Anchors a mailbox to the domain account with its username (found by the connector inside
 * its OUs), optionally setting a new password there too.
 */
function LinkDialog({
  mailbox,
  onDone,
  onClose,
}: {
  mailbox: AdminMailbox;
  onDone: (linked: Linked) => void;
  onClose: () => void;
}) {
  const t = useAdminT();
  const form = useForm();
  const { policy } = useAppData();
  const [username, setUsername] = useState(mailbox.username);
  const [setPassword, setSetPassword] = useState(false);
  const pair = usePasswordPair();

  async function link() {
    const found: Problem[] = [];
    const canonical = canonicalUsername(username);
    if (canonical.kind !== 'ok') {
      found.push({ field: 'link-username', message: t('usernameInvalid') });
    }
    const { password, confirmation } = pair.fields;
    if (setPassword && !passwordReady(policy, mailbox.username, password, confirmation)) {
      found.push({ field: 'link-password', message: t('passwordNotReady') });
    }
    if (!form.valid(found) || canonical.kind !== 'ok') return;
    const res = await form.send<Linked>(
      'PUT',
      `${mailboxPath(mailbox.id)}/directory`,
      { username: canonical.username, ...(setPassword ? { password } : {}) },
      (failure) =>
        failure.error === 'invalid_request' && failure.issues?.some((i) => i.path === 'username')
          ? { field: 'link-username', message: t('linkNotFound') }
          : failure.error === 'conflict'
            ? { field: 'link-username', message: t('linkConflict') }
            : passwordRefusal(
                t,
                failure,
                failure.error === 'policy' && setPassword ? 'link-password' : undefined,
              ),
    );
    if (!res.ok) return;
    pair.clear();
    onDone(res.data);
  }

  return (
    <FormDialog
      title={t('linkHeading', { username: mailbox.username })}
      form={form}
      onSubmit={link}
      submitLabel={t('linkConfirm')}
      onClose={onClose}
    >
      <p>{t('linkBody')}</p>
      <InputField
        {...form.field('link-username', username, setUsername)}
        label={t('linkUsername')}
        hint={t('linkUsernameHint')}
        maxLength={64}
        plain
      />
      <CheckboxField
        {...form.field('link-set-password', setPassword, setSetPassword)}
        label={t('linkSetPassword')}
        hint={t('linkSetPasswordHint')}
      />
      {setPassword && (
        <PasswordGroup
          id="link-password"
          error={form.error('link-password')}
          username={mailbox.username}
          pair={pair}
        />
      )}
    </FormDialog>
  );
}

function MailboxState({ mailbox }: { mailbox: AdminMailbox }) {
  const t = useAdminT();
  const format = useFormat();
  if (mailbox.disabled) return <span class="badge badge-off">{t('status_disabled')}</span>;
  if (mailbox.locked) {
    return (
      <span class="badge badge-warn">
        {mailbox.lockedUntil
          ? t('stateLockedUntil', { time: format.dateTime(mailbox.lockedUntil) })
          : t('status_locked')}
      </span>
    );
  }
  return <span class="badge">{t('stateActive')}</span>;
}

/** Every mailbox, by unit: create with an initial password, move, disable and enable. */
export function Mailboxes() {
  const t = useAdminT();
  const format = useFormat();
  const [filter, setFilter] = useState(unitFromAddress);
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const mailboxes = useResource<AdminMailbox[]>(
    `/api/admin/mailboxes${filter ? `?unitId=${encodeURIComponent(filter)}` : ''}`,
  );
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedMailbox | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [moving, setMoving] = useState<AdminMailbox | null>(null);
  const [linking, setLinking] = useState<AdminMailbox | null>(null);
  // Linking needs a connector: the action is offered once the directory is in use.
  const directory = useResource<DirectoryView>('/api/admin/directory');
  const directoryInUse = directory.data !== null && directory.data.state !== 'local';
  const toggling = useConfirm<AdminMailbox>();

  function changeFilter(unitId: string) {
    setFilter(unitId);
    const url = unitId
      ? `${location.pathname}?enhet=${encodeURIComponent(unitId)}`
      : location.pathname;
    history.replaceState(null, '', url);
  }

  /** Says `message` once the list shows the change, so the row's buttons act on fresh data. */
  async function reloadThenSay(message: string) {
    await Promise.all([mailboxes.reload(), units.reload()]);
    setStatus(message);
  }

  async function toggle() {
    const mailbox = toggling.target;
    if (!mailbox) return;
    const res = await toggling.send('PATCH', mailboxPath(mailbox.id), {
      disabled: !mailbox.disabled,
    });
    if (!res.ok) return;
    toggling.close();
    await reloadThenSay(
      t(mailbox.disabled ? 'mailboxEnabled' : 'mailboxDisabled', { username: mailbox.username }),
    );
  }

  const unitList = units.data ?? [];
  return (
    <AdminPage title={t('mailboxesHeading')} intro={t('mailboxesIntro')}>
      {created?.generated ? (
        <OneTimePassword
          heading={t('mailboxCreated', { username: created.username })}
          password={created.generated}
          onSaved={() => {
            setStatus(t('mailboxCreatedStatus', { username: created.username }));
            setCreated(null);
            document.getElementById('mb-toggle')?.focus();
          }}
        />
      ) : (
        <FormToggle prefix="mb" open={creating} onToggle={setCreating} label={t('mailboxNew')}>
          <CreateMailbox
            units={unitList}
            initialUnit={filter}
            onCreated={(res) => {
              setCreating(false);
              mailboxes.reload();
              units.reload();
              if (res.generated) setCreated(res);
              else {
                setStatus(t('mailboxCreatedStatus', { username: res.username }));
                document.getElementById('mb-toggle')?.focus();
              }
            }}
          />
        </FormToggle>
      )}
      <LiveStatus message={status} />

      <ResourceTable
        heading={t('mailboxesListHeading')}
        resource={mailboxes}
        empty={t('mailboxesEmpty')}
        filters={
          <div class="filters">
            <UnitSelect
              id="mb-filter"
              label={t('filterUnit')}
              value={filter}
              onValue={changeFilter}
              units={unitList}
              none={t('allUnits')}
            />
          </div>
        }
        columns={[t('mailbox'), t('unit'), t('colPassword'), t('mobileNumber'), t('colState')]}
        actions
        class="mailbox-table"
        row={(mb) => (
          <tr key={mb.id} class={mb.disabled ? 'row-off' : undefined}>
            <th scope="row" data-label={t('mailbox')}>
              <span class="mono">{mb.username}</span>
              <span class="sub">{mb.displayName}</span>
            </th>
            <td data-label={t('unit')}>{mb.unitName}</td>
            <td data-label={t('colPassword')}>
              <span class={`due due-${mb.status}`}>
                <span aria-hidden="true">{STATUS_MARK[mb.status]} </span>
                {t(STATUS_TEXT[mb.status])}
              </span>
              <span class="sub">{t('dueBy', { date: format.day(mb.passwordExpiresAt) })}</span>
            </td>
            <td data-label={t('mobileNumber')}>
              {mb.phoneMasked ?? <span class="muted">{t('noPhone')}</span>}
            </td>
            <td data-label={t('colState')}>
              <MailboxState mailbox={mb} />
            </td>
            <td class="row-actions">
              <RowButton
                label={t('move')}
                name={mb.username}
                onClick={() => setMoving(mb)}
                disabled={unitList.length < 2}
              />
              <RowButton
                label={mb.disabled ? t('enable') : t('disable')}
                name={mb.username}
                onClick={() => toggling.open(mb)}
              />
              {directoryInUse && (
                <RowButton
                  label={t('linkAction')}
                  name={mb.username}
                  onClick={() => setLinking(mb)}
                />
              )}
            </td>
          </tr>
        )}
      />

      {moving && (
        <MoveDialog
          mailbox={moving}
          units={unitList}
          onClose={() => setMoving(null)}
          onDone={async (unitName) => {
            setMoving(null);
            // A second "Flytta" then offers the right units.
            await reloadThenSay(t('mailboxMoved', { username: moving.username, unit: unitName }));
          }}
        />
      )}
      {linking && (
        <LinkDialog
          mailbox={linking}
          onClose={() => setLinking(null)}
          onDone={async (linked) => {
            const message = t('linkDone', { username: linking.username, dn: linked.account.dn });
            setLinking(null);
            await mailboxes.reload();
            setStatus(message);
          }}
        />
      )}
      {toggling.target && (
        <ConfirmDialog
          confirm={toggling}
          title={t(toggling.target.disabled ? 'enableHeading' : 'disableHeading', {
            username: toggling.target.username,
          })}
          body={<p>{t(toggling.target.disabled ? 'enableBody' : 'disableBody')}</p>}
          confirmLabel={t(toggling.target.disabled ? 'enableConfirm' : 'disableConfirm')}
          onConfirm={toggle}
        />
      )}
    </AdminPage>
  );
}
