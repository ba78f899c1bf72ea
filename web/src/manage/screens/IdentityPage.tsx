import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  FetchedPassword as FetchedPasswordSchema,
  IdentityDetail as IdentityDetailSchema,
} from '../../../../worker/routes/identities.schemas';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { Fact } from '../../components/Fact';
import { PasswordText } from '../../components/PasswordText';
import { StepHeading } from '../../components/StepHeading';
import { SupportContacts } from '../../components/SupportContacts';
import { useLang } from '../../i18n';
import { MANAGER_PAGES, unitPath } from '../../router';
import { CopyButton } from '../components/CopyButton';
import { formatCalendarDay, formatDateTime, formatDay } from '../format';
import { usePT } from '../i18n-people';
import { PagePending, useResource } from '../page-data';
import { useSensitive } from '../step-up';
import { useTitle } from '../use-title';
import { fullName } from './NewHires';

type FetchedPassword = InferOutput<typeof FetchedPasswordSchema>;
type IdentityDetail = InferOutput<typeof IdentityDetailSchema>;

/**
 * /chef/identitet/<id>, where the e-mail about a new hire links: who the person is, and
 * their initial password, fetched with a fresh strong sign-in and shown large until hidden.
 */
export function IdentityPage({ id }: { id: string }) {
  const t = usePT();
  const lang = useLang();
  const path = `/api/manager/identities/${encodeURIComponent(id)}`;
  const { data: detail, failure, reload: load } = useResource<IdentityDetail>(path);
  useTitle(detail ? fullName(detail.identity) : t('loading'));

  if (!detail) return <PagePending failure={failure} />;

  const who = detail.identity;
  return (
    <section class="identity-page">
      <p class="back">
        <a href={MANAGER_PAGES.newHires}>← {t('backToNewHires')}</a>
      </p>
      <StepHeading>{fullName(who)}</StepHeading>
      <p class="chips">
        <span class={`chip chip-initial-${detail.initialPassword.state}`}>
          {t(`initial_${detail.initialPassword.state}`)}
        </span>
      </p>
      <section aria-labelledby="identity-facts-heading">
        <h2 id="identity-facts-heading" class="visually-hidden">
          {t('identityFacts')}
        </h2>
        <dl class="facts">
          <Fact term={t('userId')} class="username-value">
            {who.userId}
          </Fact>
          <Fact term={t('colPnr')} class="mono-value">
            {who.personalNumberMasked}
          </Fact>
          <Fact term={t('hsaId')} class="mono-value">
            {who.hsaId ?? t('noHsaId')}
          </Fact>
          <Fact term={t('unit')}>
            <a href={unitPath(who.unitId)} class="block-link">
              {who.unitName}
            </a>
          </Fact>
          <Fact term={t('colStart')}>{formatCalendarDay(lang, who.startDate)}</Fact>
          <Fact term={t('factState')}>{t(`identity_${who.state}`)}</Fact>
        </dl>
      </section>
      <InitialPassword detail={detail} path={path} reload={load} />
    </section>
  );
}

function InitialPassword({
  detail,
  path,
  reload,
}: {
  detail: IdentityDetail;
  path: string;
  reload: () => Promise<void>;
}) {
  const t = usePT();
  const lang = useLang();
  const { run } = useSensitive();
  // The password lives in this state only (never in any storage) and goes on hide, when
  // the page is left, and when the tab is put away (pagehide, also into the back cache).
  const [shown, setShown] = useState<FetchedPassword | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const who = detail.identity;
  const name = fullName(who);
  const info = detail.initialPassword;

  useEffect(() => {
    const clear = () => setShown(null);
    addEventListener('pagehide', clear);
    return () => removeEventListener('pagehide', clear);
  }, []);

  async function fetchPassword() {
    setBusy(true);
    setFailure(null);
    setMessage(null);
    const res = await run<FetchedPassword>('POST', `${path}/initial-password`, {});
    setBusy(false);
    if (!res.ok) {
      if (res.error === 'initial_password_used') {
        // The first login came in the meantime: the page now says so instead of the button.
        setShown(null);
        await reload();
        heading.current?.focus();
        return;
      }
      return setFailure(res);
    }
    setShown(res.data);
    void reload();
  }

  function hide() {
    setShown(null);
    setMessage(t('initialHidden'));
    heading.current?.focus();
  }

  const used = info.state === 'used';
  let body: JSX.Element;
  if (info.state === 'withdrawn') {
    body = (
      <p class="notice" role="status">
        {info.withdrawnAt
          ? t('initialWithdrawn', { date: formatDay(lang, info.withdrawnAt) })
          : t('initialWithdrawnNoDate')}
      </p>
    );
  } else if (used) {
    body = (
      <p class="notice" role="status">
        {info.firstLoginAt
          ? t('initialUsed', { name, date: formatDay(lang, info.firstLoginAt) })
          : t('initialUsedNoDate', { name })}
      </p>
    );
  } else if (info.state === 'none') {
    body = <NoInitialPassword name={name} support={detail.support} />;
  } else {
    body = (
      <>
        <DirectoryState detail={detail} />
        {shown ? (
          <ShownPassword
            name={name}
            fetched={shown}
            onHide={hide}
            pending={info.directory.state === 'pending'}
          />
        ) : (
          <>
            <p>{t('initialBody')}</p>
            <p class="hint">{t('initialFirstLogin')}</p>
          </>
        )}
        <p class="fetch-count">
          {info.fetchCount === 0 || !info.lastFetchedAt
            ? t('initialNotFetched')
            : info.fetchCount === 1
              ? t('initialFetchOnce', { when: formatDateTime(lang, info.lastFetchedAt) })
              : t('initialFetchCount', {
                  n: info.fetchCount,
                  when: formatDateTime(lang, info.lastFetchedAt),
                })}
        </p>
        <ErrorBox failure={failure} />
        {!shown && (
          <div class="buttons">
            <button type="button" disabled={busy} onClick={fetchPassword}>
              {busy ? t('working') : t('initialFetch')}
            </button>
          </div>
        )}
      </>
    );
  }

  return (
    <section aria-labelledby="initial-heading" class="initial-password">
      <h2 id="initial-heading" ref={heading} tabIndex={-1}>
        {t('identityInitialPassword')}
      </h2>
      <div aria-live="polite">{message && <p class="hint">{message}</p>}</div>
      {body}
    </section>
  );
}

/** What a person without an initial password does instead: a reset, not a fetch. */
function NoInitialPassword({
  name,
  support,
}: {
  name: string;
  support: IdentityDetail['support'];
}) {
  const t = usePT();
  return (
    <>
      <p>{t('initialNone', { name })}</p>
      <p>{t('initialNoneInstead')}</p>
      {support.length > 0 && (
        <>
          <p>{t('supportReach')}</p>
          <SupportContacts channels={support} />
        </>
      )}
    </>
  );
}

/**
 * Where the password stands in the domain: shown by Nyckel only (the IdM sets it), waiting for
 * the start date, not yet active (with why), or set with "must change at first sign-in".
 */
function DirectoryState({ detail }: { detail: IdentityDetail }) {
  const t = usePT();
  const lang = useLang();
  const dir = detail.initialPassword.directory;
  switch (dir.state) {
    case 'idm':
      return <p class="hint">{t('directoryIdm')}</p>;
    case 'waiting':
      return (
        <p class="hint">
          {t('directoryWaiting', { date: formatCalendarDay(lang, detail.identity.startDate) })}
        </p>
      );
    case 'written':
      return (
        <p class="success">
          {t('directoryWritten', {
            when: dir.writtenAt ? formatDateTime(lang, dir.writtenAt) : '',
          })}
        </p>
      );
    case 'pending': {
      const why =
        dir.error === 'not_found' || dir.error === 'unavailable'
          ? t(`directoryError_${dir.error}`)
          : dir.error
            ? t('directoryErrorOther', { code: dir.error })
            : null;
      return (
        <div class="notice directory-pending">
          <p>{t('directoryPending')}</p>
          {why && <p>{why}</p>}
        </div>
      );
    }
  }
}

/** The password, large and in its groups for reading aloud, with copy and hide. */
function ShownPassword({
  name,
  fetched,
  onHide,
  pending,
}: {
  name: string;
  fetched: FetchedPassword;
  onHide: () => void;
  /** The start date has come but the domain does not have it yet. */
  pending: boolean;
}) {
  const t = usePT();
  const lang = useLang();
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  const label = t('initialShownLabel', { name });
  return (
    <section class="panel panel-once shown-password" aria-labelledby="shown-password-heading">
      <h3 id="shown-password-heading" ref={heading} tabIndex={-1}>
        {label}
      </h3>
      <PasswordText text={fetched.password} class="initial-secret" />
      <p class={fetched.usableNow ? 'success' : 'notice'}>
        {fetched.usableNow
          ? t('initialUsableNow')
          : pending
            ? t('directoryPending')
            : t('initialFromDate', { date: formatCalendarDay(lang, fetched.startDate) })}
      </p>
      <p class="hint">{t('initialSame')}</p>
      <div class="buttons">
        <CopyButton text={fetched.password} label={t('copyPassword')} />
        <button type="button" onClick={onHide}>
          {t('initialHide')}
        </button>
      </div>
    </section>
  );
}
