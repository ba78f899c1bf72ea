import { useAppData } from '../app-data';
import { formatDate, useLang, useT } from '../i18n';
import { reminderIcs } from '../ics';
import { onLinkClick, ROUTES } from '../router';
import { StepHeading } from './StepHeading';

/** The end of a reset or change: when the next change is due, a calendar reminder, what next. */
export function PasswordChanged({ username, changedAt }: { username: string; changedAt: number }) {
  const t = useT();
  const lang = useLang();
  const { policy } = useAppData();
  const due = new Date(changedAt + policy.maxAgeDays * 86_400_000);
  const download = () => {
    const ics = reminderIcs({
      due,
      title: t('calendarTitle', { username }),
      description: `${t('doneNext', { date: formatDate(lang, due) })} ${location.origin}`,
      uid: `${username}-${due.getTime()}@nyckel`,
    });
    const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `nyckel-${username}.ics`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <section>
      <StepHeading>{t('doneHeading')}</StepHeading>
      <p class="success" role="status">
        {t('doneNext', { date: formatDate(lang, due) })}
      </p>
      <p>{t('doneTest')}</p>
      <p>{t('doneStaff')}</p>
      <div class="buttons">
        <button type="button" class="secondary" onClick={download}>
          {t('calendar')}
        </button>
        <a class="button" href={ROUTES.start} onClick={onLinkClick}>
          {t('home')}
        </a>
      </div>
    </section>
  );
}
