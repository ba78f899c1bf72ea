import { useId, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { Field } from './Field';

/**
 * A password input with a show/hide toggle that is a real, keyboard-reachable button. The
 * button's name says what it will do ("Visa lösenord"/"Dölj lösenord", shown short as
 * "Visa"/"Dölj", which the name contains), so no pressed state is added on top.
 */
export function PasswordInput({
  id: given,
  error,
  label,
  value,
  onValue,
  autoComplete,
  describedBy,
  required = true,
}: {
  /** For an error summary's link; otherwise one of its own. */
  id?: string;
  error?: string | undefined;
  label: string;
  value: string;
  onValue: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  describedBy?: string;
  required?: boolean;
}) {
  const t = useT();
  const own = useId();
  const id = given ?? own;
  const [visible, setVisible] = useState(false);
  const inputProps = {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    autoComplete,
    autoCapitalize: 'none',
    autoCorrect: 'off',
    spellcheck: false,
    required,
    maxLength: 256,
    'aria-invalid': error ? true : undefined,
    'aria-describedby':
      [describedBy, error && `${id}-error`].filter(Boolean).join(' ') || undefined,
  } as const;
  return (
    <Field id={id} label={label} error={error}>
      <div class="password-row">
        {/* Preact's types tell the kinds of input apart; both take the same attributes here. */}
        <input type={(visible ? 'text' : 'password') as 'text'} {...inputProps} />
        <button
          type="button"
          class="toggle"
          aria-controls={id}
          aria-label={visible ? t('hidePassword') : t('showPassword')}
          onClick={() => setVisible(!visible)}
        >
          {visible ? t('hide') : t('show')}
        </button>
      </div>
    </Field>
  );
}
