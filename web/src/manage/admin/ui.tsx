import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { StepHeading } from '../../components/StepHeading';
import { useLang } from '../../i18n';
import { formatDateTime, formatShortDay, formatWhen } from '../format';
import type { Load } from '../page-data';
import { useTitle } from '../use-title';
import { useAdminT } from './i18n-admin';

/** The GET a screen stands on: the managing app's one data hook, for its pages too. */
export { useResource } from '../page-data';

/** What useResource gives: the load's state and data, and a way to read it again. */
export type Resource<T> = Load<T> & { reload: () => Promise<void> };

/**
 * A section's page: its name in the tab's title and as the h1 that takes the focus when the
 * section opens, then what the section is for.
 */
export function AdminPage({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: string;
  children: ComponentChildren;
}) {
  useTitle(title);
  return (
    <section>
      <StepHeading>{title}</StepHeading>
      {intro && <p>{intro}</p>}
      {children}
    </section>
  );
}

/**
 * A polite live region that is always in the page, so a confirmation ("Enheten är skapad")
 * is announced when its text appears; an empty region is hidden from view.
 */
export function LiveStatus({
  message,
  tone = 'success',
}: {
  message: string | null;
  /**
   * `info` for news that is not a finished change, such as how many entries are shown;
   * `error` for an answer that something did not work.
   */
  tone?: 'success' | 'info' | 'error';
}) {
  return (
    <div class="live-status" role="status">
      {message && <p class={tone === 'info' ? 'hint' : tone}>{message}</p>}
    </div>
  );
}

/** "Loading…" while a list is on its way, the error with a retry when it failed. */
export function LoadState<T>({ of: resource }: { of: Resource<T> }): JSX.Element | null {
  const t = useAdminT();
  if (resource.state === 'loading' && resource.data === null) {
    return (
      <p class="hint" role="status">
        {t('loading')}
      </p>
    );
  }
  if (resource.state === 'failed') {
    return (
      <div class="error" role="alert">
        <p>
          {resource.failure.error === 'network' ? t('networkProblem') : resource.failure.message}
        </p>
        <button type="button" class="secondary" onClick={resource.reload}>
          {t('tryAgain')}
        </button>
      </div>
    );
  }
  return null;
}

/**
 * A heading that takes the focus when it appears, and again whenever `key` changes, so a
 * screen reader reads what has just happened (a secret shown once, an import's outcome).
 */
export function useFocusedHeading(key?: unknown) {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

/** A link inside the app that navigates without a page load. */
export function AppLink({
  href,
  class: className,
  children,
  current = false,
}: {
  href: string;
  class?: string;
  children: ComponentChildren;
  current?: boolean;
}) {
  return (
    <a href={href} class={className} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

/**
 * Moments and days in the reader's language, in Swedish time, the way the municipality
 * reads its clocks: "3 mars 2026 14:05", "3 mars 2026", and "14:05" for a moment today.
 */
export function useFormat() {
  const lang = useLang();
  return {
    dateTime: (iso: string) => formatDateTime(lang, iso),
    day: (iso: string) => formatShortDay(lang, iso),
    when: (iso: string) => formatWhen(lang, iso),
  };
}

/** Whether a text is shaped like an e-mail address (the server has the last word). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
