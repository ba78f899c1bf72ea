import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';
import { useAdminT } from './i18n-admin';
import { LoadState, type Resource } from './ui';

/** " (3)" after a list's heading, quieter than the heading itself. */
export function Count({ n }: { n: number }) {
  return <span class="count"> ({n})</span>;
}

/**
 * A table named by its heading, a column heading each; `actions` adds a last column for the
 * rows' buttons, named for screen readers only. On a phone each row becomes a card.
 */
export function AdminTable({
  labelledBy,
  columns,
  actions = false,
  class: extra,
  children,
}: {
  labelledBy: string;
  columns: string[];
  actions?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  const t = useAdminT();
  return (
    <table class={extra ? `admin-table ${extra}` : 'admin-table'} aria-labelledby={labelledBy}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span class="visually-hidden">{t('actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * A section's list from the API: its heading with the count, "Loading…" or the error, a
 * sentence when it is empty, else the table with a row each (`filters` go under the heading).
 */
export function ResourceTable<T>({
  heading,
  resource,
  empty,
  filters,
  row,
  ...table
}: {
  heading: string;
  resource: Resource<T[]>;
  empty: string;
  filters?: ComponentChildren;
  columns: string[];
  actions?: boolean;
  class?: string;
  row: (item: T) => JSX.Element;
}) {
  const id = useId();
  const list = resource.data ?? [];
  return (
    <>
      <h2 id={id}>
        {heading}
        {resource.data && <Count n={list.length} />}
      </h2>
      {filters}
      <LoadState of={resource} />
      {resource.data && list.length === 0 && <p>{empty}</p>}
      {list.length > 0 && (
        <AdminTable labelledBy={id} {...table}>
          {list.map(row)}
        </AdminTable>
      )}
    </>
  );
}

/** A row's button: the verb it shows, then the row's name for a screen reader ("Flytta x"). */
export function RowButton({
  label,
  name,
  onClick,
  danger = false,
  disabled,
}: {
  label: string;
  name: string;
  onClick: () => void;
  /** Revoking: outlined in the error colour. */
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      class={danger ? 'danger-outline secondary' : 'secondary'}
      onClick={onClick}
      disabled={disabled}
    >
      {label}
      <span class="visually-hidden"> {name}</span>
    </button>
  );
}
