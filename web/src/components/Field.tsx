import type { ComponentChildren } from 'preact';

/** The id of a field's hint, for the control's `aria-describedby`. */
export const hintId = (id: string) => `${id}-hint`;

/**
 * The frame every form field shares: the label, an optional hint, and the control, which
 * carries `id` and points its `aria-describedby` at `hintId(id)`. `invalid` marks the frame of
 * a field with an error (the managing screens' forms).
 */
export function Field({
  id,
  label,
  hint,
  invalid,
  children,
}: {
  id: string;
  label: ComponentChildren;
  hint?: string | undefined;
  invalid?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={invalid ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId(id)} class="hint">
          {hint}
        </p>
      )}
      {children}
    </div>
  );
}
