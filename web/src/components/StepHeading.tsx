import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n';
// Every screen has a step heading, so the focus rules of focus.ts come with it.
import './focus';

/**
 * The heading of a step. When the step appears, focus moves here, so a screen reader reads
 * where the person now is and the next Tab lands on the step's first field. Each step's
 * section carries its own `key`, so a new step mounts a new heading even at the same place.
 */
export function StepHeading({
  children,
  step,
}: {
  children: ComponentChildren;
  /**
   * Where this is in the printed guide's steps, [n, of], shown as "Steg 2 av 3" under the
   * heading so a person holding the guide can follow along; read right after the heading.
   */
  step?: [number, number];
}) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  // Layout effect: focus lands in the same frame the step appears, not a paint later.
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <>
      <h1 ref={ref} tabIndex={-1} class="step-heading">
        {children}
      </h1>
      {step && <p class="step-count">{t('stepOf', { n: step[0], of: step[1] })}</p>}
    </>
  );
}
