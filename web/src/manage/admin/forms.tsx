import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { ApiResult } from '../../api';
import { ErrorSummary, type Problem } from '../components/ErrorSummary';
import { describedBy, FieldFrame } from '../components/FieldFrame';
import { usePT } from '../i18n-people';
import { useAdminT } from './i18n-admin';
import { problemFor, type Refusal, refusalProblems, takenText } from './problems';
import { useWrite, type WriteMethod } from './write';

/**
 * One form's problems and whether it is being sent, and its writes. Every write goes through
 * useWrite (the step-up check); while it runs the buttons say "Vänta…" and cannot be pressed
 * again; a refusal becomes the form's problems and a success clears them.
 */
export function useForm() {
  const t = useAdminT();
  const write = useWrite();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  return {
    problems,
    busy,
    setProblems,
    error: (field: string) => problemFor(problems, field),
    /** Shows what the browser found wrong; true when there is nothing, and the form may go. */
    valid(found: Problem[]): boolean {
      setProblems(found);
      return found.length === 0;
    },
    /** A field's id, value, change handler and error, for InputField and the other fields. */
    field<V>(id: string, value: V, onValue: (value: V) => void) {
      return { id, value, onValue, error: problemFor(problems, id) };
    },
    /** `whileBusy` runs after a success before the buttons come back (a reload to wait for). */
    async send<T>(
      method: WriteMethod,
      path: string,
      body?: unknown,
      refused?: Refusal,
      whileBusy?: (data: T) => Promise<void>,
    ): Promise<ApiResult<T>> {
      setBusy(true);
      const res = await write<T>(method, path, body);
      if (res.ok) {
        setProblems([]);
        await whileBusy?.(res.data);
      } else {
        // A name or address someone else has: say who, where the form put the refusal.
        const taken = takenText(t, res);
        const found = refusalProblems(res, refused);
        setProblems(taken === null ? found : found.map((p) => ({ ...p, message: taken })));
      }
      setBusy(false);
      return res;
    },
  };
}

export type Form = ReturnType<typeof useForm>;

/** A button that says "Vänta…" while its action runs, and cannot be pressed twice. */
export function BusyButton({
  busy,
  label,
  type = 'button',
  class: className,
  disabled = busy,
  onClick,
  children,
}: {
  busy: boolean;
  label: string;
  type?: 'button' | 'submit';
  class?: string;
  disabled?: boolean;
  onClick?: () => void;
  /** Words after the label for a screen reader, kept while busy. */
  children?: ComponentChildren;
}) {
  const t = usePT();
  return (
    <button type={type} class={className} disabled={disabled} onClick={onClick}>
      {busy ? t('working') : label}
      {children}
    </button>
  );
}

/** "Avbryt": leaves a form or a dialog, but not while its write is on its way. */
export function CancelButton({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const t = usePT();
  return (
    <button type="button" class="secondary" onClick={onCancel} disabled={busy}>
      {t('cancel')}
    </button>
  );
}

/** A form's buttons: send it, anything else it offers, and "Avbryt" where it can be left. */
export function FormButtons({
  busy,
  label,
  onCancel,
  children,
}: {
  busy: boolean;
  label: string;
  onCancel?: () => void;
  children?: ComponentChildren;
}) {
  return (
    <div class="buttons">
      <BusyButton type="submit" busy={busy} label={label} />
      {children}
      {onCancel && <CancelButton busy={busy} onCancel={onCancel} />}
    </div>
  );
}

/**
 * A form of its own on the page: named by its heading, the browser's own checks off (the
 * error summary says what is wrong), and the summary right under the heading.
 */
export function FormPanel({
  form,
  heading,
  onSubmit,
  class: className = 'panel',
  children,
}: {
  form: Pick<Form, 'problems'>;
  heading: string;
  onSubmit: () => void;
  class?: string;
  children: ComponentChildren;
}) {
  const headingId = useId();
  return (
    <form
      class={className}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      noValidate
      aria-labelledby={headingId}
    >
      <h2 id={headingId}>{heading}</h2>
      <ErrorSummary problems={form.problems} />
      {children}
    </form>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
}

/** The attributes every text control shares: its value, how it changes, what describes it. */
function controlProps({ id, value, onValue, hint, error }: FieldProps) {
  return {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
  } as const;
}

/** Usernames, addresses, ids and keys: no capitalisation, correction or spell checking. */
const PLAIN = { autoCapitalize: 'none', autoCorrect: 'off', spellcheck: false } as const;

export function InputField({
  type = 'text',
  autoComplete = 'off',
  inputMode = type === 'email' || type === 'tel' ? type : undefined,
  maxLength,
  optional = false,
  plain = false,
  ...field
}: FieldProps & {
  type?: 'text' | 'email' | 'tel' | 'date';
  autoComplete?: string;
  /** The keyboard; an e-mail or phone field has its own without asking. */
  inputMode?: 'text' | 'email' | 'tel';
  maxLength: number;
  optional?: boolean;
  plain?: boolean;
}) {
  const t = useAdminT();
  const props = {
    ...controlProps(field),
    autoComplete,
    inputMode,
    maxLength,
    required: !optional,
    ...(plain ? PLAIN : {}),
  } as const;
  const label = optional ? (
    <>
      {field.label}
      <span class="optional"> {t('optional')}</span>
    </>
  ) : (
    field.label
  );
  return (
    <FieldFrame {...field} label={label}>
      {type === 'email' ? (
        <input type="email" {...props} />
      ) : type === 'tel' ? (
        <input type="tel" {...props} />
      ) : type === 'date' ? (
        <input type="date" {...props} />
      ) : (
        <input type="text" {...props} />
      )}
    </FieldFrame>
  );
}

/** An e-mail address: the e-mail keyboard, as long as an address may be, never corrected. */
export function EmailField(props: FieldProps) {
  return <InputField {...props} type="email" maxLength={254} plain />;
}

export function SelectField({
  options,
  ...field
}: FieldProps & { options: { value: string; label: string }[] }) {
  const { onInput, ...props } = controlProps(field);
  return (
    <FieldFrame {...field}>
      <select {...props} onChange={onInput}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A unit to choose, after a first option for none ("Välj enhet", or "Alla enheter"). */
export function UnitSelect({
  units,
  none,
  ...field
}: FieldProps & { units: { id: string; name: string }[]; none?: string }) {
  const t = useAdminT();
  return (
    <SelectField
      {...field}
      options={[
        { value: '', label: none ?? t('chooseUnit') },
        ...units.map((u) => ({ value: u.id, label: u.name })),
      ]}
    />
  );
}

export function TextAreaField({ rows, ...field }: FieldProps & { rows: number }) {
  return (
    <FieldFrame {...field}>
      <textarea {...controlProps(field)} rows={rows} {...PLAIN} />
    </FieldFrame>
  );
}

/** "Ny …" opens a form under the button; "Stäng formuläret" closes it again. */
export function FormToggle({
  prefix,
  open,
  onToggle,
  label,
  children,
}: {
  /** `<prefix>-toggle` is the button, `<prefix>-create` what it opens. */
  prefix: string;
  open: boolean;
  onToggle: (open: boolean) => void;
  label: string;
  children: ComponentChildren;
}) {
  const t = useAdminT();
  return (
    <>
      <button
        type="button"
        id={`${prefix}-toggle`}
        class={open ? 'secondary' : ''}
        aria-expanded={open}
        aria-controls={`${prefix}-create`}
        onClick={() => onToggle(!open)}
      >
        {open ? t('closeForm') : label}
      </button>
      <div id={`${prefix}-create`} hidden={!open}>
        {open && children}
      </div>
    </>
  );
}
