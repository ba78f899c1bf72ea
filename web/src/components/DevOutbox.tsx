import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { formatPhone } from '../../../worker/domain/phone-format';
import type { OutboxList } from '../../../worker/routes/dev.schemas';
import { api } from '../api';
import { formatTime, useLang } from '../i18n';
import { useDevOutboxT } from './i18n-dev-outbox';

/** The outbox holds both the SMS provider's texts and the mailer's e-mail. */
type OutboxItem = InferOutput<typeof OutboxList>[number];

/** Links in a message (an invite, a mailbox's page) as real links, the rest as text. */
function withLinks(body: string) {
  return body.split(/(https?:\/\/[^\s<>"]+)/g).map((part, i) =>
    /^https?:\/\//.test(part) ? (
      <a key={i} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

/**
 * Development only: the SMS and e-mail the outbox providers "sent", so one person can walk a
 * whole registration, reset or invite on one machine (an invite's link opens from here).
 * The API answers 404 outside development anyway.
 */
export function DevOutbox() {
  const t = useDevOutboxT();
  const lang = useLang();
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const load = async () => {
    const res = await api<OutboxItem[]>('GET', '/api/dev/outbox');
    setItems(res.ok ? res.data.slice(0, 10) : []);
  };
  return (
    <details
      class="dev-outbox"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) load();
      }}
    >
      <summary>{t('devOutboxTitle')}</summary>
      <button type="button" class="secondary" onClick={load}>
        {t('devRefresh')}
      </button>
      {items?.length === 0 && <p>{t('devOutboxEmpty')}</p>}
      <ul>
        {items?.map((item) => {
          const mail = item.channel === 'mail';
          return (
            <li key={item.createdAt + item.body}>
              <p class="hint">
                <span class="channel">{mail ? t('devOutboxMail') : t('devOutboxSms')}</span>
                {formatTime(lang, new Date(item.createdAt))} → {formatPhone(item.to)}
              </p>
              <p class="sms">{mail ? withLinks(item.body) : item.body}</p>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
