import type { ComponentChildren, RefObject } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { returnFocus } from '../../components/focus';

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert
 * (focus stays inside, screen readers read only the dialog), Esc cancels. Focus goes to the
 * heading so the question is read first, and back to what was focused before when it closes.
 * A dialog that exists to be typed into (a search) passes `initialFocus`, its field, instead:
 * the field's label and the dialog's name are read on arrival all the same.
 */
export function Dialog({
  title,
  children,
  onCancel,
  initialFocus,
}: {
  title: string;
  children: ComponentChildren;
  onCancel: () => void;
  initialFocus?: RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    (initialFocus?.current ?? heading.current)?.focus();
    return () => {
      dialog?.close();
      // The opener may be gone (the list it was in re-drawn): then the page's heading.
      returnFocus(opener);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={id}
      onCancel={(e) => {
        // The page decides when the dialog goes (it may be waiting for the server).
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={id} ref={heading} tabIndex={-1} class="dialog-heading">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
