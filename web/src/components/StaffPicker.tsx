import type { InferOutput } from 'valibot';
import type {
  Handover,
  HandoverRecipient,
  StaffChoice as StaffChoiceSchema,
} from '../../../worker/routes/handovers.schemas';
import { formatWait, useLang } from '../i18n';
import { useShareT } from './i18n-share';

/** A staff member as a picker shows them: never the whole number. */
export type StaffChoice = InferOutput<typeof StaffChoiceSchema>;

/** One recipient in the answer to a share. */
export type ShareRecipient = InferOutput<typeof HandoverRecipient>;

export type HandoverView = InferOutput<typeof Handover>;

/**
 * Who gets a link: one checkbox per staff member, everyone ticked to begin with. The whole
 * row is the label, so the finger's target is the row, not the box.
 */
export function StaffPicker({
  staff,
  picked,
  onPicked,
}: {
  staff: StaffChoice[];
  picked: Set<string>;
  onPicked: (next: Set<string>) => void;
}) {
  const t = useShareT();
  return (
    <fieldset class="staff-picker">
      <legend>{t('shareWho')}</legend>
      <ul>
        {staff.map((s) => (
          <li key={s.id}>
            <label class="check-row">
              <input
                type="checkbox"
                checked={picked.has(s.id)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.currentTarget.checked) next.add(s.id);
                  else next.delete(s.id);
                  onPicked(next);
                }}
              />
              <span>
                <span class="check-name">{s.name}</span>{' '}
                <span class="check-detail nowrap">{s.phoneMasked}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {picked.size === 0 && <p class="hint">{t('shareNoneChosen')}</p>}
    </fieldset>
  );
}

/** What happened to each recipient of a share: on its way, or refused and when to retry. */
export function ShareResults({ recipients }: { recipients: ShareRecipient[] }) {
  const t = useShareT();
  const lang = useLang();
  return (
    <ul class="share-results">
      {recipients.map((r) => (
        <li key={r.linkId} class={r.sms === 'refused' ? 'share-refused' : 'share-ok'}>
          <span class="check-name">{r.name}</span>{' '}
          <span class="check-detail nowrap">{r.phoneMasked}</span>
          <br />
          {r.sms === 'refused'
            ? r.retryAfter
              ? t('shareRefused', { time: formatWait(lang, r.retryAfter) })
              : t('shareRefusedNoTime')
            : t('shareQueued')}
        </li>
      ))}
    </ul>
  );
}
