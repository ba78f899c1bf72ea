import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { formatPhone } from '../../../worker/domain/phone-format';
import type { OutboxList } from '../../../worker/routes/dev.schemas';
import { api } from '../api';
import { formatTime, useLang, useT } from '../i18n';

/** The outbox holds both the SMS provider's texts and the mailer's e-mail. */
type OutboxItem = InferOutput<typeof OutboxList>[number];

/** Its own few words here, not in i18n.ts: the panel exists only in development. */
const WORDS = {
  sv: {
    title: 'Utvecklarläge: utkorg för sms och e-post',
    sms: 'Sms',
    mail: 'E-post',
    empty: 'Inga meddelanden ännu.',
  },
  en: {
    title: 'Development: outbox for texts and e-mail',
    sms: 'Text',
    mail: 'E-mail',
    empty: 'No messages yet.',
  },
} as const;

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
  const t = useT();
  const lang = useLang();
  const words = WORDS[lang];
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
      <summary>{words.title}</summary>
      <button type="button" class="secondary" onClick={load}>
        {t('devRefresh')}
      </button>
      {items?.length === 0 && <p>{words.empty}</p>}
      <ul>
        {items?.map((item) => {
          const mail = item.channel === 'mail';
          return (
            <li key={item.createdAt + item.body}>
              <p class="hint">
                <span class="channel">{mail ? words.mail : words.sms}</span>
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
