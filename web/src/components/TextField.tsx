import { useId } from 'preact/hooks';

/** A labelled text input with an optional hint, tied together for screen readers. */
export function TextField({
  label,
  hint,
  value,
  onValue,
  type = 'text',
  autoComplete,
  inputMode,
  maxLength,
  plain = false,
}: {
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'tel';
  autoComplete: 'username' | 'tel';
  inputMode?: 'text' | 'tel';
  maxLength: number;
  /** Usernames and numbers: no capitalisation, correction or spell checking. */
  plain?: boolean;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const inputProps = {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    autoComplete,
    inputMode,
    maxLength,
    required: true,
    autoCapitalize: plain ? 'none' : undefined,
    autoCorrect: plain ? 'off' : undefined,
    spellcheck: plain ? false : undefined,
    'aria-describedby': hint ? hintId : undefined,
  } as const;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {type === 'tel' ? (
        <input type="tel" {...inputProps} />
      ) : (
        <input type="text" {...inputProps} />
      )}
    </div>
  );
}
