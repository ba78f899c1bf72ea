import type { ComponentChildren } from 'preact';
import { FieldError } from './ErrorSummary';

/** The id of a field's hint, for the control's `aria-describedby`. */
export const hintId = (id: string) => `${id}-hint`;

/** What a control is described by: its hint and its error, as far as it has them. */
export const describedIds = (id: string, hint?: unknown, error?: unknown) =>
  [hint && hintId(id), error && `${id}-error`].filter(Boolean).join(' ') || undefined;

/**
 * The frame every form field shares: the label, an optional hint, and the control, which
 * carries `id` and points its `aria-describedby` at `describedIds(id, hint, error)`. `error`
 * says under the label what is wrong and how to put it right; `invalid` only marks the frame.
 */
export function Field({
  id,
  label,
  hint,
  invalid,
  error,
  children,
}: {
  id: string;
  label: ComponentChildren;
  hint?: string | undefined;
  invalid?: boolean;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={invalid || error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId(id)} class="hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} message={error} />}
      {children}
    </div>
  );
}
