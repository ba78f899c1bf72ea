import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiResult } from '../api';
import { useLang, useT } from '../i18n';

/*
 * Turnstile, Cloudflare's challenge, shown only when the API asks for it (428
 * `challenge_required`, or 403 `challenge_failed` for a token it refused): after unusually many
 * attempts from one network or against one account. Cloudflare's script is loaded only then,
 * so nobody else downloads it; the page's CSP allows it (script-src and frame-src
 * challenges.cloudflare.com in web/public/_headers). The widget has its own accessibility; the
 * fieldset around it says what it is and that the request goes again by itself once it is done.
 */

const SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
const TOKEN_HEADER = 'Turnstile-Token';

interface TurnstileApi {
  render(
    container: HTMLElement,
    options: {
      sitekey: string;
      language: string;
      callback: (token: string) => void;
      'expired-callback': () => void;
      'error-callback': () => void;
      'response-field': boolean;
    },
  ): string | undefined;
  remove(widgetId: string): void;
}

let loading: Promise<TurnstileApi> | null = null;

function loadTurnstile(): Promise<TurnstileApi> {
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = SCRIPT;
    script.async = true;
    script.addEventListener('load', () => {
      const api = (window as { turnstile?: TurnstileApi }).turnstile;
      if (api) resolve(api);
      else reject(new Error('turnstile missing'));
    });
    script.addEventListener('error', () => reject(new Error('turnstile not loaded')));
    document.head.append(script);
  }).catch((err: unknown) => {
    loading = null; // a later attempt may load it
    throw err;
  });
  return loading;
}

function askedFor(res: ApiResult<unknown>): string | null {
  if (res.ok || (res.error !== 'challenge_required' && res.error !== 'challenge_failed')) {
    return null;
  }
  return res.siteKey ?? null;
}

/**
 * The challenge around one guarded call. `retry` sends the call again; it runs by itself once
 * the widget gives a token after the API asked, and only then (never in a loop).
 */
export function useHumanCheck(retry: () => void) {
  const [siteKey, setSiteKey] = useState<string | null>(null);
  // Each token is good for one request: a new widget after every answer.
  const [round, setRound] = useState(0);
  const [solved, setSolved] = useState<'no' | 'retrying' | 'ready'>('no');
  const token = useRef<string | null>(null);
  const waiting = useRef(false);
  const latestRetry = useRef(retry);
  latestRetry.current = retry;

  return {
    /** The submit of the form the call belongs to: the call, sent at once. */
    submit(e: Event) {
      e.preventDefault();
      latestRetry.current();
    },
    /** Headers for the next call: the token, once. */
    headers(): Record<string, string> {
      const value = token.current;
      token.current = null;
      return value ? { [TOKEN_HEADER]: value } : {};
    },
    /** Every answer of the guarded call: shows the widget when asked, a fresh one after a try. */
    settle(res: ApiResult<unknown>) {
      const key = askedFor(res);
      setSolved('no');
      if (key) {
        // Sent again by itself only when no token went with this try: after a refused token
        // the person presses the button, so a check that keeps failing cannot loop.
        waiting.current = !res.ok && res.error === 'challenge_required';
        setSiteKey(key);
        setRound((n) => n + 1);
      } else if (siteKey) {
        waiting.current = false;
        setRound((n) => n + 1);
      }
    },
    /** Whether an answer was the API asking for the check (keep what the person typed). */
    asked: (res: ApiResult<unknown>) => askedFor(res) !== null,
    view: siteKey ? (
      <HumanCheck
        key={round}
        siteKey={siteKey}
        solved={solved}
        onToken={(value) => {
          token.current = value;
          if (waiting.current) {
            waiting.current = false;
            setSolved('retrying');
            latestRetry.current();
          } else {
            setSolved('ready');
          }
        }}
        onExpired={() => {
          token.current = null;
          setSolved('no');
        }}
      />
    ) : null,
  };
}

function HumanCheck({
  siteKey,
  solved,
  onToken,
  onExpired,
}: {
  siteKey: string;
  solved: 'no' | 'retrying' | 'ready';
  onToken: (token: string) => void;
  onExpired: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const handlers = useRef({ onToken, onExpired });
  handlers.current = { onToken, onExpired };

  useEffect(() => {
    let widget: string | undefined;
    let api: TurnstileApi | null = null;
    let gone = false;
    loadTurnstile().then(
      (loaded) => {
        if (gone || !box.current) return;
        api = loaded;
        widget = loaded.render(box.current, {
          sitekey: siteKey,
          language: lang,
          callback: (value) => handlers.current.onToken(value),
          'expired-callback': () => handlers.current.onExpired(),
          'error-callback': () => setFailed(true),
          // The token travels in a header, never as a form field.
          'response-field': false,
        });
      },
      () => setFailed(true),
    );
    return () => {
      gone = true;
      if (api && widget !== undefined) api.remove(widget);
    };
  }, [siteKey, lang]);

  return (
    <fieldset class="human-check">
      <legend class="human-check-heading">{t('humanCheckHeading')}</legend>
      <p class="hint">{t('humanCheckHelp')}</p>
      <div ref={box} />
      <p role="status" class="hint">
        {solved === 'retrying'
          ? t('humanCheckPassed')
          : solved === 'ready'
            ? t('humanCheckReady')
            : ''}
      </p>
      {failed && (
        <p class="error" role="alert">
          {t('humanCheckUnavailable')}
        </p>
      )}
    </fieldset>
  );
}
