import { useT } from '../i18n';

/**
 * A form's buttons: the submit and one way out as a link. The submit is never disabled: a
 * disabled button says nothing about why and drops the focus, so the form's submit says what
 * is missing instead (an error summary). While the form is `busy` it says "Vänta…" and a
 * second press does nothing.
 */
export function FormButtons({
  label,
  busy,
  leave,
}: {
  label: string;
  busy: boolean;
  leave: { label: string; onClick: () => void };
}) {
  return (
    <div class="buttons">
      <SubmitButton label={label} busy={busy} />
      <button type="button" class="link" onClick={leave.onClick}>
        {leave.label}
      </button>
    </div>
  );
}

/** A submit that keeps the focus while the form is `busy` and then does nothing when pressed. */
export function SubmitButton({ label, busy }: { label: string; busy: boolean }) {
  const t = useT();
  return (
    <button
      type="submit"
      aria-disabled={busy || undefined}
      onClick={(e) => {
        // Enter in a field presses this too, so one guard covers both.
        if (busy) e.preventDefault();
      }}
    >
      {busy ? t('working') : label}
    </button>
  );
}
