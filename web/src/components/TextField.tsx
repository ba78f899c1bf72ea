import { useId } from 'preact/hooks';
import { describedIds, Field } from './Field';

/**
 * A labelled text input with an optional hint, tied together for screen readers. A number
 * (`tel`) or an e-mail address gets its own keyboard.
 */
export function TextField({
  id: given,
  error,
  label,
  hint,
  value,
  onValue,
  type = 'text',
  autoComplete = type === 'tel' ? 'tel' : 'off',
  maxLength,
  plain = type !== 'text',
}: {
  /** For an error summary's link; otherwise one of its own. */
  id?: string;
  error?: string | undefined;
  label: string;
  hint?: string | undefined;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'tel' | 'email';
  autoComplete?: string;
  maxLength: number;
  /** Usernames, numbers and addresses: no capitalisation, correction or spell checking. */
  plain?: boolean;
}) {
  const own = useId();
  const id = given ?? own;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        // Preact's types tell the kinds of input apart; these three take the same attributes.
        type={type as 'text'}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        autoComplete={autoComplete}
        inputMode={type === 'text' ? undefined : type}
        maxLength={maxLength}
        required
        autoCapitalize={plain ? 'none' : undefined}
        autoCorrect={plain ? 'off' : undefined}
        spellcheck={plain ? false : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedIds(id, hint, error)}
      />
    </Field>
  );
}
