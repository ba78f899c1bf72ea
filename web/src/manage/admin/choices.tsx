import type { ComponentChildren } from 'preact';
import { FieldError } from '../components/ErrorSummary';
import { describedBy, Hint } from '../components/FieldFrame';

/*
 * The fields that are options rather than text: a checkbox, radio buttons, and the fieldset
 * that groups options under a legend. Wired to a form as the text fields are, with
 * `{...form.field(id, value, setValue)}`.
 */

/** The option's name, and its hint under it, tied to the input as its description. */
function OptionText({ id, label, hint }: { id: string; label: string; hint?: string }) {
  return (
    <>
      <label for={id}>{label}</label>
      <Hint of={id} text={hint} />
    </>
  );
}

export function CheckboxField({
  id,
  label,
  hint,
  value,
  onValue,
  disabled = false,
}: {
  id: string;
  label: string;
  hint?: string;
  value: boolean;
  onValue: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div class="field check">
      <input
        type="checkbox"
        id={id}
        checked={value}
        disabled={disabled}
        onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)}
        aria-describedby={describedBy(id, hint)}
      />
      <div>
        <OptionText id={id} label={label} hint={hint} />
      </div>
    </div>
  );
}

/**
 * One choice of several under a legend (the label), a radio button each, `<id>-<value>`
 * their ids. The hint sits outside the label, so the option's name stays short ("Chef")
 * and the hint is read after it.
 */
export function RadioGroup<V extends string>({
  id,
  label,
  value,
  onValue,
  error,
  options,
}: {
  id: string;
  label: string;
  value: V;
  onValue: (value: V) => void;
  error?: string;
  options: { value: V; label: string; hint?: string }[];
}) {
  return (
    <ChoiceGroup id={id} legend={label} error={error}>
      {options.map((o) => {
        const option = `${id}-${o.value}`;
        return (
          <div key={o.value} class="radio">
            <input
              type="radio"
              id={option}
              name={id}
              checked={value === o.value}
              onChange={() => onValue(o.value)}
              aria-describedby={describedBy(option, o.hint)}
            />
            <OptionText id={option} label={o.label} hint={o.hint} />
          </div>
        );
      })}
    </ChoiceGroup>
  );
}

/**
 * Options under one legend (radios, checkboxes). A problem with the group as a whole stands
 * under the legend; the fieldset is described by it, and the summary's link leads to it.
 */
export function ChoiceGroup({
  id,
  legend,
  error,
  class: extra,
  children,
}: {
  id?: string;
  legend: string;
  error?: string;
  class?: string;
  children: ComponentChildren;
}) {
  const base = extra ? `choice ${extra}` : 'choice';
  return (
    <fieldset
      id={id}
      class={error ? `${base} field-invalid` : base}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {error && <FieldError id={`${id}-error`} message={error} />}
      {children}
    </fieldset>
  );
}
