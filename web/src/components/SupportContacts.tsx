import { formatPhone } from '../../../worker/domain/phone-format';
import type { SupportChannel } from '../../../worker/domain/support';
import { useLang, useT } from '../i18n';

/**
 * The organisation's support channels, in its order and words. A label is text exactly as
 * written ("2000, knappval 3 och 1" is a menu choice, not a number to dial); only a channel's
 * own `tel`, checked by the server, becomes a call link, shown in Swedish national form.
 * Renders nothing when no channel is configured, so each place can say what fits it instead.
 */
export function SupportContacts({ channels }: { channels: SupportChannel[] }) {
  const t = useT();
  const lang = useLang();
  if (channels.length === 0) return null;
  return (
    <ul class="support-contacts">
      {channels.map((c) => {
        const label = lang === 'en' ? (c.labelEn ?? c.label) : c.label;
        const hours = lang === 'en' ? (c.hoursEn ?? c.hours) : c.hours;
        return (
          <li key={`${c.label}|${c.tel}|${c.email}`}>
            {label && <span class="support-label">{label}</span>}
            {c.tel && (
              <span>
                <a href={`tel:${c.tel}`}>
                  {t('supportCall')} {formatPhone(c.tel)}
                </a>
              </span>
            )}
            {c.email && (
              <span>
                <a href={`mailto:${c.email}`}>
                  {t('supportMail')} {c.email}
                </a>
              </span>
            )}
            {hours && <span class="support-hours">{hours}</span>}
          </li>
        );
      })}
    </ul>
  );
}
