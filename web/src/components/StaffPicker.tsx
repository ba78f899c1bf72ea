import type { InferOutput } from 'valibot';
import type {
  Handover,
  HandoverRecipient,
  StaffChoice as StaffChoiceSchema,
} from '../../../worker/routes/handovers.schemas';
import { formatWait, useLang } from '../i18n';

/**
 * The words of sharing a new password with staff, here rather than in i18n.ts so
 * they load with the share step, not with the first screen.
 */
const TEXT = {
  shareHeading: { sv: 'Dela lösenordet med personalen', en: 'Share the password with staff' },
  shareIntro: {
    sv: 'Var och en du väljer får ett sms med en personlig länk. Lösenordet kan visas en gång per person, och länken gäller i 24 timmar.',
    en: 'Everyone you pick gets a text message with a personal link. The password can be shown once per person, and the link works for 24 hours.',
  },
  shareWho: { sv: 'Vem ska få lösenordet?', en: 'Who should get the password?' },
  shareNoneChosen: { sv: 'Välj minst en person.', en: 'Pick at least one person.' },
  shareSend: { sv: 'Skicka länkar', en: 'Send links' },
  shareSkip: { sv: 'Hoppa över', en: 'Skip' },
  shareSentHeading: { sv: 'Länkarna är skickade', en: 'The links are sent' },
  shareQueued: { sv: 'Sms:et är på väg.', en: 'The text message is on its way.' },
  shareRefused: {
    sv: 'Inte skickat: för många sms till numret just nu. Försök igen om {time}.',
    en: 'Not sent: too many text messages to this number just now. Try again in {time}.',
  },
  shareRefusedNoTime: {
    sv: 'Inte skickat: för många sms just nu.',
    en: 'Not sent: too many text messages just now.',
  },
  shareContinue: { sv: 'Fortsätt', en: 'Continue' },
  working: { sv: 'Vänta…', en: 'Please wait…' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
} as const;

export function useShareT() {
  const lang = useLang();
  return (key: keyof typeof TEXT, vars: Record<string, string | number> = {}) =>
    TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

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
                <span class="check-detail">{s.phoneMasked}</span>
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
          <span class="check-name">{r.name}</span> <span class="check-detail">{r.phoneMasked}</span>
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
