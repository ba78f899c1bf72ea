import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { useShareT } from '../../components/i18n-share';
import {
  type HandoverView,
  type ShareRecipient,
  ShareResults,
  type StaffChoice,
  StaffPicker,
} from '../../components/StaffPicker';
import '../../components/share.css';
import { formatMoment } from '../../format-time';
import { useLang } from '../../i18n';
import { unitPath } from '../../router';
import { Dialog } from '../components/Dialog';
import { useHT } from '../i18n-handover';
import type { PageActions } from '../page-data';
import { personApi } from '../session';
import { useSensitive } from '../step-up';
import '../handover.css';

/**
 * After a reset on behalf: "Dela med personalen" opens a dialog listing the unit's
 * staff, everyone ticked; sending turns the reset's share offer into one personal link each
 * and says per person whether the SMS went or was refused. The offer works once.
 */
export function ShareOffer({
  mailboxPath,
  unitId,
  offerId,
  openAtOnce,
  onShared,
}: {
  mailboxPath: string;
  unitId: string;
  offerId: string;
  openAtOnce: boolean;
  onShared: () => Promise<void>;
}) {
  const t = useHT();
  const [open, setOpen] = useState(openAtOnce);
  const [used, setUsed] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const done = useRef<HTMLParagraphElement>(null);
  // Once the links are sent the focus goes to the message saying so, whatever the dialog gave
  // it back to; a cancelled dialog gives it back to what opened it, or else to this button.
  const closed = useRef(false);
  useEffect(() => {
    if (!closed.current || open) return;
    closed.current = false;
    if (used) done.current?.focus();
    else if (document.activeElement === document.body) button.current?.focus();
  }, [open, used]);
  if (used) {
    return (
      <p class="success" role="status" ref={done} tabIndex={-1}>
        {t('shareDone')}
      </p>
    );
  }
  return (
    <div class="share-offer">
      <p class="hint">{t('shareOfferHint')}</p>
      <div class="buttons">
        <button type="button" ref={button} onClick={() => setOpen(true)}>
          {t('shareButton')}
        </button>
      </div>
      {open && (
        <ShareDialog
          mailboxPath={mailboxPath}
          unitId={unitId}
          offerId={offerId}
          onClose={(shared) => {
            closed.current = true;
            setOpen(false);
            if (shared) {
              setUsed(true);
              void onShared();
            }
          }}
        />
      )}
    </div>
  );
}

function ShareDialog({
  mailboxPath,
  unitId,
  offerId,
  onClose,
}: {
  mailboxPath: string;
  unitId: string;
  offerId: string;
  onClose: (shared: boolean) => void;
}) {
  const t = useHT();
  // The picker's words are the mailbox app's, the same as after a self-service reset.
  const mt = useShareT();
  const { run } = useSensitive();
  const [staff, setStaff] = useState<StaffChoice[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [sent, setSent] = useState<ShareRecipient[] | null>(null);
  const doneButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void personApi<StaffChoice[]>(
      'GET',
      `/api/manager/units/${encodeURIComponent(unitId)}/staff`,
    ).then((res) => {
      if (!res.ok) return setFailure(res);
      setStaff(res.data);
      setPicked(new Set(res.data.map((s) => s.id)));
    });
  }, []);
  useEffect(() => {
    if (sent) doneButton.current?.focus();
  }, [sent]);

  async function send(e: Event) {
    e.preventDefault();
    if (!staff || picked.size === 0) return;
    setBusy(true);
    setFailure(null);
    const res = await run<HandoverView>('POST', `${mailboxPath}/handovers`, {
      shareOfferId: offerId,
      staffIds: staff.filter((s) => picked.has(s.id)).map((s) => s.id),
    });
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setSent(res.data.recipients);
  }

  return (
    <Dialog title={t('shareButton')} onCancel={() => !busy && onClose(sent !== null)}>
      {sent ? (
        <>
          <div role="status">
            <ShareResults recipients={sent} />
          </div>
          <div class="buttons">
            <button type="button" ref={doneButton} onClick={() => onClose(true)}>
              {t('close')}
            </button>
          </div>
        </>
      ) : staff === null ? (
        <>
          <ErrorBox failure={failure} />
          {!failure && <p class="hint">{mt('working')}</p>}
          <div class="buttons">
            <button type="button" class="secondary" onClick={() => onClose(false)}>
              {t('close')}
            </button>
          </div>
        </>
      ) : staff.length === 0 ? (
        <>
          <p>{t('shareNoStaff')}</p>
          <div class="buttons">
            <a class="button" href={unitPath(unitId)}>
              {t('shareToUnit')}
            </a>
            <button type="button" class="secondary" onClick={() => onClose(false)}>
              {t('close')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={send} noValidate>
          <p>{mt('shareIntro')}</p>
          <StaffPicker staff={staff} picked={picked} onPicked={setPicked} />
          <ErrorBox failure={failure} />
          <div class="buttons">
            <button type="submit" disabled={busy || picked.size === 0}>
              {busy ? mt('working') : mt('shareSend')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => onClose(false)}>
              {mt('cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** Which words and which chip a recipient's row gets. */
function recipientStatus(r: ShareRecipient): { key: StatusKey; at: string | null; tone: string } {
  if (r.state === 'viewed') return { key: 'state_viewed', at: r.viewedAt, tone: 'ok' };
  if (r.state === 'revoked') return { key: 'state_revoked', at: null, tone: 'muted' };
  if (r.state === 'expired') return { key: 'state_expired', at: null, tone: 'muted' };
  if (r.sms === 'failed') return { key: 'state_failed', at: null, tone: 'bad' };
  if (r.sms === 'refused') return { key: 'state_refused', at: null, tone: 'bad' };
  if (r.sms === 'sent') return { key: 'state_sent', at: r.sentAt, tone: 'wait' };
  return { key: 'state_queued', at: null, tone: 'wait' };
}
type StatusKey =
  | 'state_viewed'
  | 'state_revoked'
  | 'state_expired'
  | 'state_failed'
  | 'state_refused'
  | 'state_sent'
  | 'state_queued';

/** How many handovers the page lists (the API gives up to 20). */
const SHOWN = 5;

/**
 * The mailbox's recent handovers, one row per recipient: sent, viewed (when), expired or
 * revoked, a failed or refused SMS in words, and "Skicka ny länk" where a fresh link can go.
 * Read again whenever `read` changes (a new password ends the old one's unopened links).
 */
export function HandoverHistory({
  mailboxPath,
  read,
  actions,
  onChanged,
}: {
  mailboxPath: string;
  read: number;
  actions: PageActions;
  /** A fresh link went: the mailbox's events have a new entry. */
  onChanged: () => Promise<void>;
}) {
  const t = useHT();
  const lang = useLang();
  const { run } = useSensitive();
  const [list, setList] = useState<HandoverView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [message, setMessage] = useState<{ text: string; action: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async () => {
    const res = await personApi<HandoverView[]>('GET', `${mailboxPath}/handovers`);
    if (!res.ok) return setFailure(res);
    setFailure(null);
    setList(res.data);
  };
  useEffect(() => {
    void load();
  }, [read]);

  async function resend(h: HandoverView, r: ShareRecipient) {
    const action = actions.begin();
    setBusy(r.linkId);
    setFailure(null);
    const res = await run<ShareRecipient>(
      'POST',
      `${mailboxPath}/handovers/${encodeURIComponent(h.id)}/links/${encodeURIComponent(r.linkId)}/resend`,
      {},
    );
    setBusy(null);
    if (!res.ok) return setFailure(res);
    await load();
    setMessage({ text: t('linkResent', { name: r.name }), action });
    // The row is drawn anew for the fresh link, and the button pressed with it.
    heading.current?.focus();
    await onChanged();
  }

  return (
    <section aria-labelledby="handovers-heading" class="handovers">
      <h2 id="handovers-heading" ref={heading} tabIndex={-1}>
        {t('historyHeading')}
      </h2>
      <div aria-live="polite">
        {message?.action === actions.latest && <p class="success">{message.text}</p>}
      </div>
      <ErrorBox failure={failure} />
      {list === null ? null : list.length === 0 ? (
        <p>{t('historyNone')}</p>
      ) : (
        list.slice(0, SHOWN).map((h) => {
          const when = formatMoment(lang, h.sharedAt);
          return (
            <article key={h.id} class="card handover" aria-label={when}>
              <p class="card-title">
                {h.sharedBy
                  ? t('historySharedBy', { when, who: h.sharedBy })
                  : t('historySharedSelf', { when })}
              </p>
              <p class="hint">
                {h.open
                  ? t('historyOpenUntil', { when: formatMoment(lang, h.expiresAt) })
                  : t('historyClosed')}
              </p>
              <ul class="recipients" aria-label={t('recipientsLabel')}>
                {h.recipients.map((r) => {
                  const s = recipientStatus(r);
                  return (
                    <li key={r.linkId} class="recipient">
                      <div>
                        <span class="check-name">{r.name}</span>{' '}
                        <span class="check-detail nowrap">{r.phoneMasked}</span>
                        <br />
                        <span class={`handover-state handover-${s.tone}`}>
                          {t(s.key)}
                          {s.at && ` ${formatMoment(lang, s.at, { short: true })}`}
                        </span>
                      </div>
                      {r.canResend && (
                        <button
                          type="button"
                          class="secondary"
                          aria-label={t('resendLabel', { name: r.name })}
                          disabled={busy !== null}
                          onClick={() => resend(h, r)}
                        >
                          {t('resend')}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </article>
          );
        })
      )}
    </section>
  );
}
