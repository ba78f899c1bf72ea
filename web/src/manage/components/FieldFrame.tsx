import type { ComponentChildren } from 'preact';
import { FieldError } from './ErrorSummary';

/** The ids a control is described by: its hint and its error, as far as it has them. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

/** A field's hint, with the id its control points to (`<id>-hint`); nothing without a text. */
export function Hint({ of: id, text }: { of: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={`${id}-hint`} class="hint">
      {text}
    </p>
  );
}

/**
 * Label, hint and error of one field, wired to the control (the children) through ids: the
 * control takes `id` and `aria-describedby={describedBy(id, hint, error)}`.
 */
export function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ComponentChildren;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <Hint of={id} text={hint} />
      {error && <FieldError id={`${id}-error`} message={error} />}
      {children}
    </div>
  );
}
