import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog as PeopleDialog } from '../components/Dialog';
import { ErrorSummary } from '../components/ErrorSummary';
import { BusyButton, CancelButton, type Form, FormButtons, useForm } from './forms';
import type { Problem } from './problems';

/** The people screens' modal dialog (native <dialog>, focus on its heading, Esc cancels). */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <PeopleDialog title={title} onCancel={onClose}>
      {children}
    </PeopleDialog>
  );
}

/** A small form in a dialog (a new name, another unit): its problems, fields and buttons. */
export function FormDialog({
  title,
  form,
  onSubmit,
  submitLabel,
  onClose,
  children,
}: {
  title: string;
  form: Form;
  onSubmit: () => void;
  submitLabel: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        <ErrorSummary problems={form.problems} />
        {children}
        <FormButtons busy={form.busy} label={submitLabel} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * What an "are you sure?" is about (a row, or `true` for the page's one such action), with
 * the write it confirms: `open` asks afresh, without the last attempt's problems.
 */
export function useConfirm<T>() {
  const form = useForm();
  const [target, setTarget] = useState<T | null>(null);
  return {
    ...form,
    target,
    open(next: T) {
      form.setProblems([]);
      setTarget(next);
    },
    close() {
      setTarget(null);
    },
  };
}

/** "Are you sure?" for a change that cuts someone off (disable) or replaces a list. */
export function ConfirmDialog({
  confirm,
  title,
  body,
  confirmLabel,
  onConfirm,
}: {
  confirm: { busy: boolean; problems: Problem[]; close: () => void };
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
}) {
  return (
    <Dialog title={title} onClose={confirm.close}>
      <ErrorSummary problems={confirm.problems} />
      <div class="dialog-body">{body}</div>
      <div class="buttons">
        <BusyButton class="danger" busy={confirm.busy} label={confirmLabel} onClick={onConfirm} />
        <CancelButton busy={confirm.busy} onCancel={confirm.close} />
      </div>
    </Dialog>
  );
}
