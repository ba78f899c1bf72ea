import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Grouped } from '../components/CopyButton';
import { useAdminT } from './i18n-admin';

/**
 * A generated password, shown once: large, monospace, in its groups so it can be read aloud
 * or typed from the screen, with a copy button. "I have saved it" is the only way on, and
 * afterwards the password is gone from the page, so nobody not entitled to it sees it there.
 */
export function OneTimePassword({
  heading,
  password,
  onSaved,
}: {
  heading: string;
  password: string;
  onSaved: () => void;
}) {
  const t = useAdminT();
  const ref = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }

  return (
    <div class="panel one-time">
      <h2 ref={ref} tabIndex={-1} class="step-heading">
        {heading}
      </h2>
      <p>{t('generatedIntro')}</p>
      <p class="one-time-label">{t('initialPasswordLabel')}</p>
      <p class="one-time-password">
        <Grouped text={password} />
      </p>
      <p class="hint">
        {t(password.includes('-') ? 'generatedLengthHyphens' : 'generatedLength', {
          n: password.length,
        })}
      </p>
      <div class="live-status" role="status">
        {copied === 'yes' && <p class="success">{t('passwordCopied')}</p>}
        {copied === 'no' && <p>{t('copyPasswordFailed')}</p>}
      </div>
      <div class="buttons">
        <button type="button" class="secondary" onClick={copy}>
          {t('copyPassword')}
        </button>
        <button type="button" onClick={onSaved}>
          {t('savedIt')}
        </button>
      </div>
    </div>
  );
}
