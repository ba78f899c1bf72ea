import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime, useLang, useT } from '../i18n';

interface OutboxItem {
  to: string;
  body: string;
  createdAt: string;
}

/**
 * Development only: the SMS the outbox provider "sent", so one person can walk a whole
 * registration or reset on one machine. The API answers 404 outside development anyway.
 */
export function DevOutbox() {
  const t = useT();
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
      <summary>{t('devOutbox')}</summary>
      <button type="button" class="secondary" onClick={load}>
        {t('devRefresh')}
      </button>
      {items?.length === 0 && <p>{t('devOutboxEmpty')}</p>}
      <ul>
        {items?.map((item) => (
          <li key={item.createdAt + item.body}>
            <p class="hint">
              {formatTime(lang, new Date(item.createdAt))} → {item.to}
            </p>
            <p class="sms">{item.body}</p>
          </li>
        ))}
      </ul>
    </details>
  );
}
