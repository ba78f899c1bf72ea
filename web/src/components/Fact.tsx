import type { ComponentChildren } from 'preact';

/** One term and its value in a `dl.facts` list; `class` styles the value. */
export function Fact({
  term,
  class: valueClass,
  children,
}: {
  term: string;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div>
      <dt>{term}</dt>
      <dd class={valueClass}>{children}</dd>
    </div>
  );
}
