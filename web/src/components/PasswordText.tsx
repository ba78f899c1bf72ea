import { useId, useState } from 'preact/hooks';
import { SYMBOL_NAMES, usePasswordT } from './i18n-password';
import './password-text.css';

type Kind = 'pwUpper' | 'pwLower' | 'pwDigit' | 'pwOther';

/** What a character is, as a person reading it aloud would say: case, digit or its name. */
function kindOf(char: string): Kind | (typeof SYMBOL_NAMES)[string] {
  if (/\p{Lu}/u.test(char)) return 'pwUpper';
  if (/\p{Ll}/u.test(char)) return 'pwLower';
  if (/\p{Nd}/u.test(char)) return 'pwDigit';
  return SYMBOL_NAMES[char] ?? 'pwOther';
}

/**
 * A password exactly as it is: one monospaced run in which a hyphen is a character like any
 * other, never a gap or a separator, so "Tr4sig-Kanin-44" is typed with its hyphens. Under it
 * its length and whether hyphens are part of it, and a toggle that spells it out character by
 * character ("W stor, f liten, 7 siffra") for reading it aloud to a colleague.
 * `label` names it for a screen reader when no heading right above does.
 */
export function PasswordText({
  text,
  class: className,
  label,
}: {
  text: string;
  class?: string;
  label?: string;
}) {
  const t = usePasswordT();
  const id = useId();
  const [spelled, setSpelled] = useState(false);
  const chars = [...text];
  const hyphens = chars.filter((c) => c === '-').length;
  const length = t(hyphens > 1 ? 'pwLengthHyphens' : hyphens ? 'pwLengthHyphen' : 'pwLength', {
    n: chars.length,
  });
  return (
    <div class="password-text">
      <p class={className}>
        {label && <span class="visually-hidden">{label}: </span>}
        <span class="password" translate={false}>
          {text}
        </span>
      </p>
      <p class="hint password-length">{length}</p>
      <button
        type="button"
        class="secondary"
        aria-expanded={spelled}
        aria-controls={id}
        onClick={() => setSpelled(!spelled)}
      >
        {t('pwSpell')}
      </button>
      <ol id={id} class="password-spelled" aria-label={t('pwSpelled')} hidden={!spelled}>
        {spelled &&
          chars.map((char, i) => (
            <li key={i}>
              <span class="password-char" translate={false}>
                {char}
              </span>{' '}
              {t(kindOf(char))}
            </li>
          ))}
      </ol>
    </div>
  );
}
