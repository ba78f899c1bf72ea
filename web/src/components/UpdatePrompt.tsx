import { useT } from '../i18n';

/** Asks before a new version takes over: a reload mid-reset would lose what was typed. */
export function UpdatePrompt({ onUpdate, onLater }: { onUpdate: () => void; onLater: () => void }) {
  const t = useT();
  return (
    <div class="update" role="status">
      <p>{t('updateAvailable')}</p>
      <div class="buttons">
        <button type="button" onClick={onUpdate}>
          {t('updateNow')}
        </button>
        <button type="button" class="secondary" onClick={onLater}>
          {t('updateLater')}
        </button>
      </div>
    </div>
  );
}
