import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { usePT } from '../i18n-people';
import { Dialog } from './Dialog';

/** "Are you sure?" before something that cannot be undone from the same screen. */
export function ConfirmDialog({
  title,
  body,
  points,
  confirmLabel,
  busy,
  failure,
  onConfirm,
  onCancel,
}: {
  title: string;
  body: string;
  /** What will happen, one consequence a line, after `body`. */
  points?: string[];
  confirmLabel: string;
  busy: boolean;
  failure: ApiFailure | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = usePT();
  return (
    <Dialog title={title} onCancel={onCancel}>
      <p>{body}</p>
      {points && (
        <ul>
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      )}
      <ErrorBox failure={failure} />
      <div class="buttons">
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {busy ? t('working') : confirmLabel}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </Dialog>
  );
}
