import { useT } from '../i18n';

/**
 * A form's buttons: the submit, off until the form is `ready` and saying "Vänta…" while it is
 * `busy`, and one way out as a link.
 */
export function FormButtons({
  label,
  busy,
  ready,
  leave,
}: {
  label: string;
  busy: boolean;
  ready: boolean;
  leave: { label: string; onClick: () => void };
}) {
  const t = useT();
  return (
    <div class="buttons">
      <button type="submit" disabled={busy || !ready}>
        {busy ? t('working') : label}
      </button>
      <button type="button" class="link" onClick={leave.onClick}>
        {leave.label}
      </button>
    </div>
  );
}
