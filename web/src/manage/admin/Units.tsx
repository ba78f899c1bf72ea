import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { UnitView } from '../../../../worker/routes/admin.schemas';
import { ADMIN_PAGES } from '../../router';
import { FormDialog } from './confirm';
import { BusyButton, FormPanel, InputField, useForm } from './forms';
import { useAdminT } from './i18n-admin';
import { ResourceTable, RowButton } from './tables';
import type { AdminUnit } from './types';
import { AdminPage, AppLink, LiveStatus, useResource } from './ui';

type Unit = InferOutput<typeof UnitView>;

const NAME_MAX = 100;

/** Rename one unit in a dialog; the name is what managers see on their home screen. */
function RenameDialog({
  unit,
  onDone,
  onClose,
}: {
  unit: AdminUnit;
  onDone: (name: string) => void;
  onClose: () => void;
}) {
  const t = useAdminT();
  const form = useForm();
  const [name, setName] = useState(unit.name);

  async function save() {
    const trimmed = name.trim();
    if (!trimmed)
      return form.setProblems([{ field: 'rename-name', message: t('unitNameMissing') }]);
    const res = await form.send<Unit>(
      'PATCH',
      `/api/admin/units/${encodeURIComponent(unit.id)}`,
      { name: trimmed },
      'rename-name',
    );
    if (res.ok) onDone(res.data.name);
  }

  return (
    <FormDialog
      title={t('renameHeading', { name: unit.name })}
      form={form}
      onSubmit={save}
      submitLabel={t('saveName')}
      onClose={onClose}
    >
      <InputField
        {...form.field('rename-name', name, setName)}
        label={t('unitNewName')}
        maxLength={NAME_MAX}
      />
    </FormDialog>
  );
}

/** Units own the mailboxes; managers and delegates get their roles per unit. */
export function Units() {
  const t = useAdminT();
  const form = useForm();
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<AdminUnit | null>(null);

  async function create() {
    setStatus(null);
    const trimmed = name.trim();
    if (!trimmed) return form.setProblems([{ field: 'unit-name', message: t('unitNameMissing') }]);
    const res = await form.send<Unit>('POST', '/api/admin/units', { name: trimmed }, 'unit-name');
    if (!res.ok) return;
    setName('');
    setStatus(t('unitCreated', { name: res.data.name }));
    units.reload();
  }

  return (
    <AdminPage title={t('unitsHeading')} intro={t('unitsIntro')}>
      <FormPanel form={form} heading={t('unitCreateHeading')} onSubmit={create}>
        <div class="inline-form">
          <InputField
            {...form.field('unit-name', name, setName)}
            label={t('unitName')}
            hint={t('unitNameHint')}
            maxLength={NAME_MAX}
          />
          <BusyButton type="submit" busy={form.busy} label={t('unitCreate')} />
        </div>
      </FormPanel>
      <LiveStatus message={status} />

      <ResourceTable
        heading={t('unitsListHeading')}
        resource={units}
        empty={t('unitsEmpty')}
        columns={[t('unit'), t('colMailboxes'), t('colManagers')]}
        actions
        row={(unit) => (
          <tr key={unit.id}>
            <th scope="row" data-label={t('unit')}>
              {unit.name}
            </th>
            <td data-label={t('colMailboxes')}>
              <AppLink href={`${ADMIN_PAGES.mailboxes}?enhet=${encodeURIComponent(unit.id)}`}>
                {unit.mailboxCount === 1
                  ? t('mailboxCountOne')
                  : t('mailboxCount', { n: unit.mailboxCount })}
                <span class="visually-hidden"> {t('inUnit', { name: unit.name })}</span>
              </AppLink>
            </td>
            <td data-label={t('colManagers')}>
              {unit.managers.length > 0 ? (
                unit.managers.join(', ')
              ) : (
                <span class="muted">{t('noManager')}</span>
              )}
            </td>
            <td class="row-actions">
              <RowButton label={t('rename')} name={unit.name} onClick={() => setRenaming(unit)} />
            </td>
          </tr>
        )}
      />
      {renaming && (
        <RenameDialog
          unit={renaming}
          onClose={() => setRenaming(null)}
          onDone={(newName) => {
            setStatus(t('unitRenamed', { old: renaming.name, name: newName }));
            setRenaming(null);
            units.reload();
          }}
        />
      )}
    </AdminPage>
  );
}
