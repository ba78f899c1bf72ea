import type { ComponentProps } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useAppData } from '../app-data';
import { formatDate, useLang, useT } from '../i18n';
import { downloadReminder } from '../ics';
import { ROUTES } from '../router';
import { ShareStep } from './ShareStep';
import { StepHeading } from './StepHeading';

type Share = Pick<ComponentProps<typeof ShareStep>, 'load' | 'send'>;

/**
 * The confirmation every path that sets a password ends with: it was saved, when the next
 * change is due, try it now, a calendar reminder. Sharing with the unit's staff is offered
 * after it, as the next step, never instead of it; `next` replaces "home" where the flow goes
 * on (registering a number after a forced change).
 */
export function PasswordChanged({
  username,
  changedAt,
  share,
  next,
  onFinish,
}: {
  username: string;
  changedAt: number;
  share?: Share;
  next?: { label: string; onClick: () => void };
  /** Done before "Klart" leaves (signing the session out), so nothing is left open. */
  onFinish?: () => Promise<void>;
}) {
  const t = useT();
  const { route } = useLocation();
  const lang = useLang();
  const { policy } = useAppData();
  const [sharing, setSharing] = useState(false);
  const [shared, setShared] = useState(false);
  // Whether anyone can be shared with: asked once, so the offer appears only when it can work.
  const [staff, setStaff] = useState(0);
  useEffect(() => {
    if (!share) return;
    void share.load().then((res) => {
      if (res.ok) setStaff(res.data.length);
    });
  }, []);

  if (sharing && share) {
    return (
      <ShareStep
        load={share.load}
        send={share.send}
        onFinish={() => {
          setSharing(false);
          setShared(true);
        }}
      />
    );
  }

  const due = new Date(changedAt + policy.maxAgeDays * 86_400_000);
  const download = () =>
    downloadReminder({
      due,
      username,
      title: t('calendarTitle', { username }),
      description: `${t('doneNext', { date: formatDate(lang, due) })} ${location.origin}`,
    });
  const offerShare = share !== undefined && staff > 0 && !shared;
  return (
    <section key="changed">
      <StepHeading>{t('doneHeading')}</StepHeading>
      <p class="success" role="status">
        {t('doneSaved', { username })} {t('doneNext', { date: formatDate(lang, due) })}
      </p>
      <p>
        <strong>{t('doneTest')}</strong>
      </p>
      <div class="buttons">
        <button type="button" class="secondary" onClick={download}>
          {t('calendar')}
        </button>
      </div>
      {offerShare ? (
        <section class="next-step" aria-labelledby="share-next-heading">
          <h2 id="share-next-heading">{t('shareNextHeading')}</h2>
          <p>{t('shareNextBody')}</p>
          <div class="buttons">
            <button type="button" onClick={() => setSharing(true)}>
              {t('sharePassword')}
            </button>
          </div>
        </section>
      ) : (
        <p>{t('doneStaff')}</p>
      )}
      <div class="buttons">
        {next ? (
          <button type="button" class={offerShare ? 'secondary' : ''} onClick={next.onClick}>
            {next.label}
          </button>
        ) : (
          <a
            class={offerShare ? 'button secondary' : 'button'}
            href={ROUTES.start}
            onClick={async (e) => {
              // The mailbox session ends before the page changes, so the router (which follows
              // every same-origin link from the window) must not see this click.
              e.preventDefault();
              e.stopPropagation();
              await onFinish?.();
              route(ROUTES.start);
            }}
          >
            {t('finished')}
          </a>
        )}
      </div>
    </section>
  );
}
