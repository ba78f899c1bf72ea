import { useState } from 'preact/hooks';
import { usePT } from '../i18n-people';

/** Copies a text and says so in a polite live region; the label names what is copied. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = usePT();
  const [status, setStatus] = useState<'copied' | 'failed' | null>(null);
  return (
    <span class="copy">
      <button
        type="button"
        class="secondary"
        aria-label={label}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setStatus('copied');
          } catch {
            setStatus('failed');
          }
        }}
      >
        {t('copy')}
      </button>
      <span class="hint" aria-live="polite">
        {status === 'copied' ? t('copied') : status === 'failed' ? t('copyFailed') : ''}
      </span>
    </span>
  );
}

/**
 * A secret in groups for reading aloud or typing: a generated password keeps its own
 * hyphenated groups (`Kq7m-Xa3h-9pRt`), a TOTP key is split in fours. The copy button
 * copies the text exactly as it is.
 */
export function Grouped({ text, class: className }: { text: string; class?: string }) {
  const hyphenated = text.includes('-');
  const groups = hyphenated ? text.split('-') : (text.match(/.{1,4}/gu) ?? []);
  return (
    <span class={`grouped ${className ?? ''}`}>
      {groups.flatMap((group, i) => [
        ...(hyphenated && i > 0
          ? [
              <span key={`sep-${i}`} class="group-sep">
                -
              </span>,
            ]
          : []),
        <span key={`group-${i}`}>{group}</span>,
      ])}
    </span>
  );
}
