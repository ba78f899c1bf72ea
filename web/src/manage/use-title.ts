import { useEffect } from 'preact/hooks';

/** The tab's title names the screen (WCAG 2.4.2), then the app. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} – Nyckel`;
  }, [title]);
}
