import { usePT } from '../i18n-people';

export type ChipKind =
  | 'overdue'
  | 'due_soon'
  | 'ok'
  | 'locked'
  | 'no_phone'
  | 'disabled'
  | 'initial_password';

const MARK: Record<ChipKind, string> = {
  overdue: '!',
  due_soon: '◷',
  ok: '✓',
  locked: '■',
  no_phone: '–',
  disabled: '⊘',
  initial_password: '+',
};

/** A status as a word in a shaped badge: colour helps, the text carries the meaning (1.4.1). */
export function StatusChip({ kind }: { kind: ChipKind }) {
  const t = usePT();
  return (
    <span class={`chip chip-${kind}`}>
      <span class="chip-mark" aria-hidden="true">
        {MARK[kind]}
      </span>
      {t(`status_${kind}`)}
    </span>
  );
}
