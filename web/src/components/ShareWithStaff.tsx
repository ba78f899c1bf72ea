import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure, ApiResult } from '../api';
import { ErrorBox } from './ErrorBox';
import { useShareT } from './i18n-share';
import {
  type HandoverView,
  type ShareRecipient,
  ShareResults,
  type StaffChoice,
  StaffPicker,
} from './StaffPicker';
import { StepHeading } from './StepHeading';
import './share.css';

/**
 * The step after the mailbox's own reset or change: pick staff (everyone to begin
 * with) and send each a personal link, or skip. A unit without staff (or an answer that says
 * sharing is not possible) skips the step without asking.
 */
export function ShareWithStaff({
  load,
  send,
  onFinish,
}: {
  load: () => Promise<ApiResult<StaffChoice[]>>;
  send: (staffIds: string[]) => Promise<ApiResult<HandoverView>>;
  onFinish: () => void;
}) {
  const t = useShareT();
  const [staff, setStaff] = useState<StaffChoice[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [sent, setSent] = useState<ShareRecipient[] | null>(null);

  useEffect(() => {
    void load().then((res) => {
      if (!res.ok || res.data.length === 0) return onFinish();
      setStaff(res.data);
      setPicked(new Set(res.data.map((s) => s.id)));
    });
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (!staff || picked.size === 0) return;
    setBusy(true);
    setFailure(null);
    const res = await send(staff.filter((s) => picked.has(s.id)).map((s) => s.id));
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setSent(res.data.recipients);
  }

  if (sent) {
    return (
      <section key="share-sent">
        <StepHeading>{t('shareSentHeading')}</StepHeading>
        <ShareResults recipients={sent} />
        <div class="buttons">
          <button type="button" onClick={onFinish}>
            {t('shareContinue')}
          </button>
        </div>
      </section>
    );
  }
  if (!staff) {
    return (
      <section key="share-loading">
        <p class="hint" role="status">
          {t('working')}
        </p>
      </section>
    );
  }
  return (
    <section key="share">
      <StepHeading>{t('sharePassword')}</StepHeading>
      <p>{t('shareIntro')}</p>
      <form onSubmit={submit} noValidate>
        <StaffPicker staff={staff} picked={picked} onPicked={setPicked} />
        <ErrorBox failure={failure} />
        <div class="buttons">
          <button type="submit" disabled={busy || picked.size === 0}>
            {busy ? t('working') : t('shareSend')}
          </button>
          <button type="button" class="link" disabled={busy} onClick={onFinish}>
            {t('shareSkip')}
          </button>
        </div>
      </form>
    </section>
  );
}
