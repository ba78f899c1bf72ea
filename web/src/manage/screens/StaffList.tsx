import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferInput, InferOutput } from 'valibot';
import type {
  StaffMember as StaffMemberSchema,
  StaffUpdate,
} from '../../../../worker/routes/handovers.schemas';
import type { ApiFailure, ApiResult } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { ErrorSummary, type Problem } from '../../components/ErrorSummary';
import { Field, hintId } from '../../components/Field';
import { SubmitButton } from '../../components/FormButtons';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useHT } from '../i18n-handover';
import { usePT } from '../i18n-people';
import { personApi } from '../session';
import { useSensitive } from '../step-up';
import '../handover.css';

type StaffMember = InferOutput<typeof StaffMemberSchema>;

type PhoneModule = typeof import('../../../../worker/domain/phone');
let phoneModule: Promise<PhoneModule> | null = null;

/**
 * The server's own phone rules (libphonenumber's full metadata), loaded only when a staff
 * form is on screen: the same parsing as a mailbox's number, without weighing on every page.
 */
function loadPhone(): Promise<PhoneModule> {
  phoneModule ??= import('../../../../worker/domain/phone').catch((err) => {
    phoneModule = null;
    throw err;
  });
  return phoneModule;
}

type T = ReturnType<typeof useHT>;

/** Client-side checks, the same as the server's; `phoneOptional` when changing a member. */
async function check(
  t: T,
  ids: { name: string; phone: string },
  input: { name: string; phone: string },
  phoneOptional: boolean,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (input.name.trim() === '') problems.push({ field: ids.name, message: t('personNameMissing') });
  const phone = input.phone.trim();
  if (phone === '') {
    if (!phoneOptional) problems.push({ field: ids.phone, message: t('errPhone') });
  } else {
    try {
      const parsed = (await loadPhone()).parsePhone(phone);
      if (parsed.kind !== 'ok') {
        problems.push({
          field: ids.phone,
          message: parsed.reason === 'not_mobile' ? t('errPhoneNotMobile') : t('errPhoneFormat'),
        });
      }
    } catch {
      // Offline, the chunk did not load: the server checks the number anyway.
    }
  }
  return problems;
}

/** A refusal from the server as a problem of the form. */
function serverProblem(t: T, ids: { phone: string }, res: ApiFailure): Problem {
  // A number of a country the organisation does not text: the server names the allowed ones.
  if (res.error === 'invalid_phone' && res.reason === 'country' && res.message) {
    return { field: ids.phone, message: res.message };
  }
  if (res.error === 'invalid_phone') return { field: ids.phone, message: t('errPhoneFormat') };
  if (res.error === 'conflict') return { field: ids.phone, message: t('errTaken') };
  return { message: res.error === 'network' || !res.message ? t('networkProblem') : res.message };
}

/**
 * The unit's staff list, for its managers and delegates: the names and masked
 * numbers that links to a new password go to; add, change (a fresh sign-in for both) and
 * remove after asking.
 */
export function StaffList({ unitId, unitName }: { unitId: string; unitName: string }) {
  const t = useHT();
  const { run } = useSensitive();
  const base = `/api/manager/units/${encodeURIComponent(unitId)}/staff`;
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<StaffMember | null>(null);
  const [removeFailure, setRemoveFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async () => {
    const res = await personApi<StaffMember[]>('GET', base);
    if (!res.ok) return setFailure(res);
    setFailure(null);
    setStaff(res.data);
  };
  useEffect(() => {
    void load();
    void loadPhone().catch(() => undefined);
  }, []);

  async function remove(member: StaffMember) {
    setBusy(true);
    setRemoveFailure(null);
    const res = await run('DELETE', `${base}/${encodeURIComponent(member.id)}`);
    setBusy(false);
    if (!res.ok) return setRemoveFailure(res);
    await load();
    setRemoving(null);
    setMessage(t('staffRemoved', { name: member.name }));
    heading.current?.focus();
  }

  return (
    <section aria-labelledby="staff-heading" class="staff">
      <h2 id="staff-heading" ref={heading} tabIndex={-1}>
        {t('staffHeading')}
      </h2>
      <p>{t('staffIntro')}</p>
      <div aria-live="polite">{message && <p class="success">{message}</p>}</div>
      <ErrorBox failure={failure} />
      {staff &&
        (staff.length === 0 ? (
          <p>{t('staffNone')}</p>
        ) : (
          <ul class="staff-list" aria-label={t('staffListLabel', { unit: unitName })}>
            {staff.map((s) => (
              <li key={s.id} class="staff-row">
                {editing === s.id ? (
                  <EditMember
                    member={s}
                    base={base}
                    onDone={async (saved) => {
                      if (saved) {
                        await load();
                        setMessage(t('staffSaved', { name: saved }));
                      }
                      setEditing(null);
                      // The form that had the focus is gone; the list's heading takes it.
                      heading.current?.focus();
                    }}
                  />
                ) : (
                  <>
                    <div>
                      <span class="check-name">{s.name}</span>
                      <br />
                      <span class="check-detail nowrap">{s.phoneMasked}</span>
                    </div>
                    <div class="buttons">
                      <button
                        type="button"
                        class="secondary"
                        aria-label={t('staffEditLabel', { name: s.name })}
                        onClick={() => {
                          setMessage(null);
                          setEditing(s.id);
                        }}
                      >
                        {t('staffEdit')}
                      </button>
                      <button
                        type="button"
                        class="secondary danger-outline"
                        aria-label={t('staffRemoveLabel', { name: s.name })}
                        onClick={() => {
                          setRemoveFailure(null);
                          setRemoving(s);
                        }}
                      >
                        {t('remove')}
                      </button>
                    </div>
                  </>
                )}
              </li>
            ))}
          </ul>
        ))}
      <AddMember
        base={base}
        onAdded={async (name) => {
          await load();
          setMessage(t('staffAdded', { name }));
          // On to the list with the new name in it; the message is read from its live region.
          heading.current?.focus();
        }}
      />
      {removing && (
        <ConfirmDialog
          title={t('staffRemoveHeading')}
          body={t('staffRemoveBody', { name: removing.name })}
          confirmLabel={t('remove')}
          busy={busy}
          failure={removeFailure}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

function AddMember({ base, onAdded }: { base: string; onAdded: (name: string) => Promise<void> }) {
  const t = useHT();
  const pt = usePT();
  const { run } = useSensitive();
  const form = useMemberForm({
    ids: { name: 'staff-add-name', phone: 'staff-add-phone' },
    name: '',
    phoneHint: t('staffPhoneHint'),
    phoneOptional: false,
  });

  async function submit(e: Event) {
    e.preventDefault();
    if (form.busy) return;
    const added = await form.send((input) => run<StaffMember>('POST', base, input));
    if (!added) return;
    form.clear();
    await onAdded(added.name);
  }

  return (
    <section aria-labelledby="staff-add-heading" class="panel">
      <h3 id="staff-add-heading">{t('staffAddHeading')}</h3>
      <form onSubmit={submit} noValidate class="staff-form">
        {form.fields}
        <div class="buttons">
          <SubmitButton label={t('staffAdd')} busy={form.busy} />
        </div>
      </form>
    </section>
  );
}

function EditMember({
  member,
  base,
  onDone,
}: {
  member: StaffMember;
  base: string;
  onDone: (savedName: string | null) => Promise<void>;
}) {
  const t = useHT();
  const pt = usePT();
  const { run } = useSensitive();
  const form = useMemberForm({
    ids: { name: `staff-edit-name-${member.id}`, phone: `staff-edit-phone-${member.id}` },
    name: member.name,
    phoneHint: t('staffPhoneKeep', { phone: member.phoneMasked }),
    phoneOptional: true,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (form.busy) return;
    const saved = await form.send(({ name, phone }) => {
      const body: InferInput<typeof StaffUpdate> = {};
      if (name !== member.name) body.name = name;
      if (phone !== '') body.phone = phone;
      // Nothing changed: nothing to send.
      if (!body.name && !body.phone) return null;
      return run<StaffMember>('PATCH', `${base}/${encodeURIComponent(member.id)}`, body);
    });
    if (saved !== undefined) await onDone(saved?.name ?? null);
  }

  return (
    <form onSubmit={submit} noValidate class="staff-form staff-edit">
      <h3 ref={heading} tabIndex={-1}>
        {t('staffEditHeading', { name: member.name })}
      </h3>
      {form.fields}
      <div class="buttons">
        <SubmitButton label={t('staffSave')} busy={form.busy} />
        <button type="button" class="secondary" disabled={form.busy} onClick={() => onDone(null)}>
          {pt('cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * A staff member's name and number, as adding and changing ask for them: the error summary
 * and the two fields (`fields`), checked here as the server would before `send` sends them
 * trimmed. Every problem, the page's or the server's, goes to the summary and its field.
 */
function useMemberForm(options: {
  ids: { name: string; phone: string };
  name: string;
  phoneHint: string;
  phoneOptional: boolean;
}) {
  const t = useHT();
  const { ids } = options;
  const [name, setName] = useState(options.name);
  const [phone, setPhone] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message;

  /**
   * The member as the server saved it; undefined after a problem, null when `request` had
   * nothing to send.
   */
  async function send(
    request: (input: { name: string; phone: string }) => Promise<ApiResult<StaffMember>> | null,
  ): Promise<StaffMember | null | undefined> {
    setBusy(true);
    const found = await check(t, ids, { name, phone }, options.phoneOptional);
    if (found.length > 0) {
      setBusy(false);
      setProblems(found);
      return undefined;
    }
    const sent = request({ name: name.trim(), phone: phone.trim() });
    const res = sent && (await sent);
    setBusy(false);
    if (!res) return null;
    if (!res.ok) {
      setProblems([serverProblem(t, ids, res)]);
      return undefined;
    }
    setProblems([]);
    return res.data;
  }

  return {
    busy,
    send,
    clear() {
      setName('');
      setPhone('');
    },
    fields: (
      <>
        <ErrorSummary problems={problems} level={4} />
        <MemberField
          id={ids.name}
          label={t('name')}
          value={name}
          onValue={setName}
          error={errorOf(ids.name)}
        />
        <MemberField
          id={ids.phone}
          label={t('mobileNumber')}
          hint={options.phoneHint}
          value={phone}
          onValue={setPhone}
          tel
          error={errorOf(ids.phone)}
        />
      </>
    ),
  };
}

function MemberField({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  tel = false,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onValue: (value: string) => void;
  tel?: boolean;
}) {
  const t = useHT();
  const described = [hint && hintId(id), error && `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    autoComplete: 'off',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
  } as const;
  return (
    <Field id={id} label={label} hint={hint} invalid={Boolean(error)}>
      {error && (
        <p id={`${id}-error`} class="field-error">
          <span class="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
      {tel ? (
        <input type="tel" inputMode="tel" maxLength={32} {...common} />
      ) : (
        <input type="text" maxLength={100} {...common} />
      )}
    </Field>
  );
}
