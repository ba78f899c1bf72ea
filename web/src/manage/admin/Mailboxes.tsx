import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { canonicalUsername } from '../../../../worker/domain/username';
import type {
  AdminUnit as AdminUnitSchema,
  MailboxCreated,
} from '../../../../worker/routes/admin.schemas';
import type { DirectoryView, MailboxLinked } from '../../../../worker/routes/directory.schemas';
import type { MailboxSummaryWithUnit } from '../../../../worker/routes/fields';
import { useAppData } from '../../app-data';
import { NewPasswordFields, passwordReady } from '../../components/NewPasswordFields';
import { StepHeading } from '../../components/StepHeading';
import { useTitle } from '../use-title';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { OneTimePassword } from './OneTimePassword';
import {
  CheckboxField,
  ConfirmDialog,
  Dialog,
  ErrorSummary,
  failureProblem,
  InputField,
  LiveStatus,
  LoadState,
  type Problem,
  problemFor,
  RadioOption,
  SelectField,
  useFormat,
  useResource,
} from './ui';
import { useWrite } from './write';

type AdminMailbox = InferOutput<typeof MailboxSummaryWithUnit>;
type AdminUnit = InferOutput<typeof AdminUnitSchema>;
type CreatedMailbox = InferOutput<typeof MailboxCreated>;
type Linked = InferOutput<typeof MailboxLinked>;

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
  const write = useWrite();
  const { policy } = useAppData();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [unitId, setUnitId] = useState(initialUnit);
  const [mode, setMode] = useState<'generate' | 'type'>('generate');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  function check(): Problem[] {
    const found: Problem[] = [];
    if (canonicalUsername(username).kind !== 'ok') {
      found.push({ field: 'mb-username', message: t('usernameInvalid') });
    }
    if (!displayName.trim()) {
      found.push({ field: 'mb-display', message: t('displayNameMissing') });
    }
    if (!unitId) found.push({ field: 'mb-unit', message: t('unitMissing') });
    if (mode === 'type' && !passwordReady(policy, username, password, confirmation)) {
      found.push({ field: 'mb-password', message: t('passwordNotReady') });
    }
    return found;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found = check();
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    const canonical = canonicalUsername(username);
    const res = await write<CreatedMailbox>('POST', '/api/admin/mailboxes', {
      username: canonical.kind === 'ok' ? canonical.username : username,
      displayName: displayName.trim(),
      unitId,
      ...(mode === 'type' ? { password } : {}),
    });
    setBusy(false);
    if (!res.ok) {
      const field =
        res.error === 'policy'
          ? 'mb-password'
          : res.error === 'conflict'
            ? 'mb-username'
            : undefined;
      const problem = failureProblem(res, field);
      if (res.violations?.includes('common')) problem.message += ` ${t('violation_common')}`;
      return setProblems([problem]);
    }
    setPassword('');
    setConfirmation('');
    onCreated(res.data);
  }

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="mb-create-heading">
      <h2 id="mb-create-heading">{t('mailboxCreateHeading')}</h2>
      <ErrorSummary problems={problems} />
      <div class="form-grid">
        <InputField
          id="mb-username"
          label={t('usernameLabel')}
          hint={t('mailboxUsernameHint')}
          value={username}
          onValue={setUsername}
          error={problemFor(problems, 'mb-username')}
          maxLength={64}
          plain
        />
        <InputField
          id="mb-display"
          label={t('mailboxDisplayName')}
          hint={t('mailboxDisplayNameHint')}
          value={displayName}
          onValue={setDisplayName}
          error={problemFor(problems, 'mb-display')}
          maxLength={100}
        />
      </div>
      <SelectField
        id="mb-unit"
        label={t('mailboxUnit')}
        value={unitId}
        onValue={setUnitId}
        error={problemFor(problems, 'mb-unit')}
        options={[
          { value: '', label: t('chooseUnit') },
          ...units.map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
      <fieldset class="choice">
        <legend>{t('initialPassword')}</legend>
        <RadioOption
          id="mb-mode-generate"
          name="mb-mode"
          label={t('passwordGenerate')}
          hint={t('passwordGenerateHint')}
          checked={mode === 'generate'}
          onSelect={() => setMode('generate')}
        />
        <RadioOption
          id="mb-mode-type"
          name="mb-mode"
          label={t('passwordType')}
          checked={mode === 'type'}
          onSelect={() => setMode('type')}
        />
      </fieldset>
      {mode === 'type' && (
        <div id="mb-password" class={problemFor(problems, 'mb-password') ? 'field-invalid' : ''}>
          {problemFor(problems, 'mb-password') && (
            <p class="field-error">
              <span class="visually-hidden">{t('errorPrefix')} </span>
              {problemFor(problems, 'mb-password')}
            </p>
          )}
          <NewPasswordFields
            policy={policy}
            username={username.trim().toLowerCase()}
            password={password}
            confirmation={confirmation}
            onPassword={setPassword}
            onConfirmation={setConfirmation}
          />
        </div>
      )}
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('working') : t('mailboxCreate')}
        </button>
      </div>
    </form>
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
  const write = useWrite();
  const others = units.filter((u) => u.id !== mailbox.unitId);
  const [unitId, setUnitId] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  async function move(e: Event) {
    e.preventDefault();
    if (!unitId) return setProblems([{ field: 'move-unit', message: t('unitMissing') }]);
    setBusy(true);
    const res = await write<AdminMailbox>(
      'PATCH',
      `/api/admin/mailboxes/${encodeURIComponent(mailbox.id)}`,
      { unitId },
    );
    setBusy(false);
    if (!res.ok) return setProblems([failureProblem(res, 'move-unit')]);
    onDone(units.find((u) => u.id === unitId)?.name ?? '');
  }

  return (
    <Dialog title={t('moveHeading', { username: mailbox.username })} onClose={onClose}>
      <form onSubmit={move} noValidate>
        <ErrorSummary problems={problems} />
        <p>{t('moveBody', { unit: mailbox.unitName ?? '–' })}</p>
        <SelectField
          id="move-unit"
          label={t('moveTo')}
          value={unitId}
          onValue={setUnitId}
          error={problemFor(problems, 'move-unit')}
          options={[
            { value: '', label: t('chooseUnit') },
            ...others.map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('working') : t('moveConfirm')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
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
  const write = useWrite();
  const { policy } = useAppData();
  const [username, setUsername] = useState(mailbox.username);
  const [setPassword, setSetPassword] = useState(false);
  const [password, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  async function link(e: Event) {
    e.preventDefault();
    const found: Problem[] = [];
    const canonical = canonicalUsername(username);
    if (canonical.kind !== 'ok') {
      found.push({ field: 'link-username', message: t('usernameInvalid') });
    }
    if (setPassword && !passwordReady(policy, mailbox.username, password, confirmation)) {
      found.push({ field: 'link-password', message: t('passwordNotReady') });
    }
    if (found.length > 0 || canonical.kind !== 'ok') return setProblems(found);
    setBusy(true);
    const res = await write<Linked>(
      'PUT',
      `/api/admin/mailboxes/${encodeURIComponent(mailbox.id)}/directory`,
      { username: canonical.username, ...(setPassword ? { password } : {}) },
    );
    setBusy(false);
    if (!res.ok) {
      const usernameIssue = res.issues?.some((i) => i.path === 'username');
      const problem =
        res.error === 'invalid_request' && usernameIssue
          ? { field: 'link-username', message: t('linkNotFound') }
          : res.error === 'conflict'
            ? { field: 'link-username', message: t('linkConflict') }
            : failureProblem(
                res,
                res.error === 'policy' && setPassword ? 'link-password' : undefined,
              );
      if (res.violations?.includes('common')) problem.message += ` ${t('violation_common')}`;
      return setProblems([problem]);
    }
    setNewPassword('');
    setConfirmation('');
    onDone(res.data);
  }

  const passwordError = problemFor(problems, 'link-password');
  return (
    <Dialog title={t('linkHeading', { username: mailbox.username })} onClose={onClose}>
      <form onSubmit={link} noValidate>
        <ErrorSummary problems={problems} />
        <p>{t('linkBody')}</p>
        <InputField
          id="link-username"
          label={t('linkUsername')}
          hint={t('linkUsernameHint')}
          value={username}
          onValue={setUsername}
          error={problemFor(problems, 'link-username')}
          maxLength={64}
          plain
        />
        <CheckboxField
          id="link-set-password"
          label={t('linkSetPassword')}
          hint={t('linkSetPasswordHint')}
          checked={setPassword}
          onChecked={setSetPassword}
        />
        {setPassword && (
          <div id="link-password" class={passwordError ? 'field-invalid' : ''}>
            {passwordError && (
              <p class="field-error">
                <span class="visually-hidden">{t('errorPrefix')} </span>
                {passwordError}
              </p>
            )}
            <NewPasswordFields
              policy={policy}
              username={mailbox.username}
              password={password}
              confirmation={confirmation}
              onPassword={setNewPassword}
              onConfirmation={setConfirmation}
            />
          </div>
        )}
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('working') : t('linkConfirm')}
          </button>
          <button type="button" class="secondary" onClick={onClose} disabled={busy}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
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
  useTitle(t('mailboxesHeading'));
  const write = useWrite();
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
  const directory = useResource<InferOutput<typeof DirectoryView>>('/api/admin/directory');
  const directoryInUse = directory.data !== null && directory.data.state !== 'local';
  const [toggling, setToggling] = useState<AdminMailbox | null>(null);
  const [toggleProblems, setToggleProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  function changeFilter(unitId: string) {
    setFilter(unitId);
    const url = unitId
      ? `${location.pathname}?enhet=${encodeURIComponent(unitId)}`
      : location.pathname;
    history.replaceState(null, '', url);
  }

  async function toggle() {
    if (!toggling) return;
    setBusy(true);
    const res = await write<AdminMailbox>(
      'PATCH',
      `/api/admin/mailboxes/${encodeURIComponent(toggling.id)}`,
      { disabled: !toggling.disabled },
    );
    setBusy(false);
    if (!res.ok) return setToggleProblems([failureProblem(res)]);
    const message = t(toggling.disabled ? 'mailboxEnabled' : 'mailboxDisabled', {
      username: toggling.username,
    });
    setToggling(null);
    // Said once the list shows the change, so the row's buttons act on fresh data.
    await Promise.all([mailboxes.reload(), units.reload()]);
    setStatus(message);
  }

  const unitList = units.data ?? [];
  const list = mailboxes.data ?? [];
  return (
    <section>
      <StepHeading>{t('mailboxesHeading')}</StepHeading>
      <p>{t('mailboxesIntro')}</p>

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
        <>
          <button
            type="button"
            id="mb-toggle"
            class={creating ? 'secondary' : ''}
            aria-expanded={creating}
            aria-controls="mb-create"
            onClick={() => setCreating(!creating)}
          >
            {creating ? t('closeForm') : t('mailboxNew')}
          </button>
          <div id="mb-create" hidden={!creating}>
            {creating && (
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
            )}
          </div>
        </>
      )}
      <LiveStatus message={status} />

      <h2 id="mb-list-heading">
        {t('mailboxesListHeading')}
        {mailboxes.data && <span class="count"> ({list.length})</span>}
      </h2>
      <div class="filters">
        <SelectField
          id="mb-filter"
          label={t('filterUnit')}
          value={filter}
          onValue={changeFilter}
          options={[
            { value: '', label: t('allUnits') },
            ...unitList.map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
      </div>
      <LoadState load={mailboxes} reload={mailboxes.reload} />
      {mailboxes.data && list.length === 0 && <p>{t('mailboxesEmpty')}</p>}
      {list.length > 0 && (
        <table class="admin-table mailbox-table" aria-labelledby="mb-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('mailbox')}</th>
              <th scope="col">{t('unit')}</th>
              <th scope="col">{t('colPassword')}</th>
              <th scope="col">{t('mobileNumber')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((mb) => (
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
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => setMoving(mb)}
                    disabled={unitList.length < 2}
                  >
                    {t('move')}
                    <span class="visually-hidden"> {mb.username}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      setToggleProblems([]);
                      setToggling(mb);
                    }}
                  >
                    {mb.disabled ? t('enable') : t('disable')}
                    <span class="visually-hidden"> {mb.username}</span>
                  </button>
                  {directoryInUse && (
                    <button type="button" class="secondary" onClick={() => setLinking(mb)}>
                      {t('linkAction')}
                      <span class="visually-hidden"> {mb.username}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {moving && (
        <MoveDialog
          mailbox={moving}
          units={unitList}
          onClose={() => setMoving(null)}
          onDone={async (unitName) => {
            const message = t('mailboxMoved', { username: moving.username, unit: unitName });
            setMoving(null);
            // Said once the list shows the move: a second "Flytta" then offers the right units.
            await Promise.all([mailboxes.reload(), units.reload()]);
            setStatus(message);
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
      {toggling && (
        <ConfirmDialog
          title={t(toggling.disabled ? 'enableHeading' : 'disableHeading', {
            username: toggling.username,
          })}
          body={<p>{t(toggling.disabled ? 'enableBody' : 'disableBody')}</p>}
          confirmLabel={t(toggling.disabled ? 'enableConfirm' : 'disableConfirm')}
          busy={busy}
          problems={toggleProblems}
          onConfirm={toggle}
          onClose={() => setToggling(null)}
        />
      )}
    </section>
  );
}
