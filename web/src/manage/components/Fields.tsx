import { useId } from 'preact/hooks';
import { usePT } from '../i18n-people';

/** A person's name or e-mail address: labelled, with the right keyboard and autofill. */
export function PlainField({
  label,
  hint,
  value,
  onValue,
  type = 'text',
  autoComplete,
  maxLength,
}: {
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email';
  autoComplete: string;
  maxLength: number;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const common = {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    autoComplete,
    maxLength,
    required: true,
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
      {/* Two branches because the type of an <input> decides which attributes it may have. */}
      {type === 'email' ? (
        <input
          type="email"
          {...common}
          autoCapitalize="none"
          spellcheck={false}
          inputMode="email"
        />
      ) : (
        <input type="text" {...common} />
      )}
    </div>
  );
}

/** The 6-digit code from an authenticator app (TOTP): numeric keyboard, one-time-code autofill. */
export function TotpField({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  const t = usePT();
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{t('totpCode')}</label>
      <p id={`${id}-hint`} class="hint">
        {t('totpCodeHint')}
      </p>
      <input
        id={id}
        class="code-input"
        value={value}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        required
        aria-describedby={`${id}-hint`}
        onInput={(e) => onValue(e.currentTarget.value.replace(/[^\d ]/g, '').slice(0, 7))}
      />
    </div>
  );
}

export const codeReady = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ''));
