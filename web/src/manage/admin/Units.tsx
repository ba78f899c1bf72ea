import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  AdminUnit as AdminUnitSchema,
  UnitView,
} from '../../../../worker/routes/admin.schemas';
import { StepHeading } from '../../components/StepHeading';
import { ADMIN_PAGES } from '../../router';
import { useTitle } from '../use-title';
import { useAdminT } from './i18n-admin';
import {
  AppLink,
  Dialog,
  ErrorSummary,
  failureProblem,
  InputField,
  LiveStatus,
  LoadState,
  type Problem,
  problemFor,
  useResource,
} from './ui';
import { useWrite } from './write';

type AdminUnit = InferOutput<typeof AdminUnitSchema>;
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
  const write = useWrite();
  const [name, setName] = useState(unit.name);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setProblems([{ field: 'rename-name', message: t('unitNameMissing') }]);
    setBusy(true);
    const res = await write<Unit>('PATCH', `/api/admin/units/${encodeURIComponent(unit.id)}`, {
      name: trimmed,
    });
    setBusy(false);
    if (!res.ok) return setProblems([failureProblem(res, 'rename-name')]);
    onDone(res.data.name);
  }

  return (
    <Dialog title={t('renameHeading', { name: unit.name })} onClose={onClose}>
      <form onSubmit={save} noValidate>
        <ErrorSummary problems={problems} />
        <InputField
          id="rename-name"
          label={t('unitNewName')}
          value={name}
          onValue={setName}
          error={problemFor(problems, 'rename-name')}
          maxLength={NAME_MAX}
        />
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('working') : t('saveName')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Units own the mailboxes; managers and delegates get their roles per unit. */
export function Units() {
  const t = useAdminT();
  useTitle(t('unitsHeading'));
  const write = useWrite();
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<AdminUnit | null>(null);

  async function create(e: Event) {
    e.preventDefault();
    setStatus(null);
    const trimmed = name.trim();
    if (!trimmed) return setProblems([{ field: 'unit-name', message: t('unitNameMissing') }]);
    setBusy(true);
    const res = await write<Unit>('POST', '/api/admin/units', {
      name: trimmed,
    });
    setBusy(false);
    if (!res.ok) return setProblems([failureProblem(res, 'unit-name')]);
    setProblems([]);
    setName('');
    setStatus(t('unitCreated', { name: res.data.name }));
    units.reload();
  }

  const list = units.data ?? [];
  return (
    <section>
      <StepHeading>{t('unitsHeading')}</StepHeading>
      <p>{t('unitsIntro')}</p>

      <form class="panel" onSubmit={create} noValidate aria-labelledby="unit-create-heading">
        <h2 id="unit-create-heading">{t('unitCreateHeading')}</h2>
        <ErrorSummary problems={problems} />
        <div class="inline-form">
          <InputField
            id="unit-name"
            label={t('unitName')}
            hint={t('unitNameHint')}
            value={name}
            onValue={setName}
            error={problemFor(problems, 'unit-name')}
            maxLength={NAME_MAX}
          />
          <button type="submit" disabled={busy}>
            {busy ? t('working') : t('unitCreate')}
          </button>
        </div>
      </form>
      <LiveStatus message={status} />

      <h2 id="units-list-heading">
        {t('unitsListHeading')}
        {units.data && <span class="count"> ({list.length})</span>}
      </h2>
      <LoadState load={units} reload={units.reload} />
      {units.data && list.length === 0 && <p>{t('unitsEmpty')}</p>}
      {list.length > 0 && (
        <table class="admin-table" aria-labelledby="units-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('unit')}</th>
              <th scope="col">{t('colMailboxes')}</th>
              <th scope="col">{t('colManagers')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((unit) => (
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
                  <button type="button" class="secondary" onClick={() => setRenaming(unit)}>
                    {t('rename')}
                    <span class="visually-hidden"> {unit.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
    </section>
  );
}
