import { useState } from 'preact/hooks';
import { usePT } from '../i18n-people';

/**
 * Copies a text and says so in a polite live region; the label names what is copied.
 * `primary` where copying is the main thing to do on the page.
 */
export function CopyButton({
  text,
  label,
  primary = false,
}: {
  text: string;
  label: string;
  primary?: boolean;
}) {
  const t = usePT();
  const [status, setStatus] = useState<'copied' | 'failed' | null>(null);
  return (
    <span class="copy">
      <button
        type="button"
        class={primary ? undefined : 'secondary'}
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
 * An authenticator key in groups of four for typing it into an app, which ignores the gaps;
 * the copy button copies it exactly as it is. Passwords are never grouped: PasswordText.
 */
export function Grouped({ text, class: className }: { text: string; class?: string }) {
  const groups = text.match(/.{1,4}/gu) ?? [];
  return (
    <span class={`grouped ${className ?? ''}`}>
      {groups.map((group, i) => (
        <span key={i}>{group}</span>
      ))}
    </span>
  );
}
