import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { PasswordText } from '../../components/PasswordText';
import { useAdminT } from './i18n-admin';
import { useFocusedHeading } from './ui';

/**
 * A secret shown once (a generated password, a service token): the heading takes the focus,
 * the secret can be copied, and "I have saved it" is the only way on; afterwards the secret
 * is gone from the page, so nobody not entitled to it sees it there.
 */
export function ShownOnce({
  heading,
  secret,
  texts,
  onSaved,
  children,
}: {
  heading: string;
  secret: string;
  /** The copy button, what it says after a copy and after a failed one, the way on. */
  texts: { copy: string; copied: string; copyFailed: string; saved: string };
  onSaved: () => void;
  children: ComponentChildren;
}) {
  const ref = useFocusedHeading();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
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
      {children}
      <div class="live-status" role="status">
        {copied === 'yes' && <p class="success">{texts.copied}</p>}
        {copied === 'no' && <p>{texts.copyFailed}</p>}
      </div>
      <div class="buttons">
        <button type="button" class="secondary" onClick={copy}>
          {texts.copy}
        </button>
        <button type="button" onClick={onSaved}>
          {texts.saved}
        </button>
      </div>
    </div>
  );
}

/**
 * A generated password, shown once: large, monospace and exactly as it is, so it can be read
 * aloud or typed from the screen, with a copy button.
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
  return (
    <ShownOnce
      heading={heading}
      secret={password}
      texts={{
        copy: t('copyPassword'),
        copied: t('passwordCopied'),
        copyFailed: t('copyPasswordFailed'),
        saved: t('savedIt'),
      }}
      onSaved={onSaved}
    >
      <p>{t('generatedIntro')}</p>
      <p class="one-time-label">{t('initialPasswordLabel')}</p>
      <PasswordText text={password} class="one-time-password" />
    </ShownOnce>
  );
}
