import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * The heading of a step. When the step appears, focus moves here, so a screen reader reads
 * where the person now is and the next Tab lands on the step's first field. Each step's
 * section carries its own `key`, so a new step mounts a new heading even at the same place.
 */
export function StepHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // Layout effect: focus lands in the same frame the step appears, not a paint later.
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} class="step-heading">
      {children}
    </h1>
  );
}
