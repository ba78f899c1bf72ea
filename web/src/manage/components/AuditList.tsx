import type { InferOutput } from 'valibot';
import type { AuditItem as AuditItemSchema } from '../../../../worker/routes/fields';
import { type Lang, useLang } from '../../i18n';
import { actionLabel, referenceText } from '../audit-words';
import { formatDateTime } from '../format';
import { usePT } from '../i18n-people';

type AuditItem = InferOutput<typeof AuditItemSchema>;

function actorText(lang: Lang, item: AuditItem) {
  return referenceText(lang, item.actor, item.actorLabel);
}

function whatText(lang: Lang, item: AuditItem, withTarget: boolean) {
  const what = actionLabel(lang, item.action);
  // "hemtjanstab: Inloggning" needs no ": hemtjanstab" after it.
  return withTarget && item.target && item.target !== item.actor
    ? `${what}: ${referenceText(lang, item.target, item.targetLabel)}`
    : what;
}

function Outcome({ item }: { item: AuditItem }) {
  const t = usePT();
  return <span class={`outcome outcome-${item.outcome}`}>{t(`outcome_${item.outcome}`)}</span>;
}

/**
 * An audit trail: who, what, when, from where and the outcome. A table on a tablet;
 * on a phone the same entries as cards (only one of the two is displayed, so a screen reader
 * meets each entry once).
 */
export function AuditList({
  items,
  caption,
  withTarget = true,
}: {
  items: AuditItem[];
  caption: string;
  withTarget?: boolean;
}) {
  const t = usePT();
  const lang = useLang();
  if (items.length === 0) return <p class="hint">{t('auditNone')}</p>;
  return (
    <>
      <table class="data-table audit-table wide-only">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colWhen')}</th>
            <th scope="col">{t('colWho')}</th>
            <th scope="col">{t('colWhat')}</th>
            <th scope="col">{t('colFrom')}</th>
            <th scope="col">{t('colOutcome')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td class="nowrap">{formatDateTime(lang, item.at)}</td>
              <td>{actorText(lang, item)}</td>
              <td>{whatText(lang, item, withTarget)}</td>
              <td class="ip">{item.ip ?? '–'}</td>
              <td>
                <Outcome item={item} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol class="audit-cards narrow-only" aria-label={caption}>
        {items.map((item) => (
          <li key={item.id} class="card">
            <p class="card-title">{whatText(lang, item, withTarget)}</p>
            <p>
              <Outcome item={item} /> {formatDateTime(lang, item.at)}
            </p>
            <p class="hint">
              {actorText(lang, item)}
              {item.ip && ` · ${item.ip}`}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
