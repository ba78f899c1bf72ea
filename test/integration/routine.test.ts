import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnitRoutine } from '../../worker/routes/routine.schemas';
import { call, callWith, json, login, seedMailbox } from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';
import { DEFAULT_SUPPORT, supportChannel } from '../support-fixtures';

/*
 * The unit's routine: generated from what Nyckel knows, for the
 * unit's managers and delegates and for administrators; another unit's id is a 404. The
 * clock is fixed (Date only, so D1 and the runtime's timers run as usual) to check the exact
 * dates: 4 December 2026, 10:00 in Sweden.
 */

const DAY = 86_400;
const NOW = Date.parse('2026-12-04T09:00:00Z') / 1000;

type Routine = v.InferOutput<typeof UnitRoutine>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});

afterEach(() => {
  vi.useRealTimers();
});

async function setChangedAt(mailboxId: string, at: number) {
  await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
    .bind(at, mailboxId)
    .run();
}

/** The demo unit, as the seed makes it, and a second unit beside it. */
async function world() {
  const unit = await seedUnit('Hemtjänst Åby');
  const other = await seedUnit('Hemtjänst Berga');
  const hemtjanstab = await seedMailbox({
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    phone: '+46701234567',
    unitId: unit.id,
  });
  const hemvardsgruppen = await seedMailbox({
    username: 'hemvardsgruppen',
    displayName: 'Hemvårdsgruppen Åby',
    phone: null,
    unitId: unit.id,
  });
  // Changed 80 days ago (due in 10 days) and 95 days ago (due 5 days ago), as in the seed.
  await setChangedAt(hemtjanstab.id, NOW - 80 * DAY);
  await setChangedAt(hemvardsgruppen.id, NOW - 95 * DAY);
  await seedMailbox({ username: 'bergabrevlada', unitId: other.id });
  const manager = await seedPerson({
    name: 'Maria Lind',
    email: 'maria.lind@example.se',
    roles: { [unit.id]: 'manager' },
  });
  const delegate = await seedPerson({
    name: 'Dag Ombud',
    email: 'dag.ombud@example.se',
    roles: { [unit.id]: 'delegate' },
  });
  const managerB = await seedPerson({ name: 'Berit Chef', roles: { [other.id]: 'manager' } });
  const admin = await seedPerson({ name: 'Ada Admin', isAdmin: true });
  return { unit, other, hemtjanstab, hemvardsgruppen, manager, delegate, managerB, admin };
}

async function routineAs(personId: string, unitId: string) {
  return call(`/api/manager/units/${encodeURIComponent(unitId)}/routine`, {
    cookie: await personCookie(personId),
  });
}

describe('GET /api/manager/units/{id}/routine', () => {
  it("gives the unit's manager the whole routine: mailboxes, dates, people, links, support, policy", async () => {
    const w = await world();
    const res = await routineAs(w.manager.id, w.unit.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = await json<Routine>(res);
    expect(() => v.parse(UnitRoutine, body)).not.toThrow();
    expect(body).toEqual({
      unit: { id: w.unit.id, name: 'Hemtjänst Åby' },
      links: {
        app: 'https://nyckel.test/',
        reset: 'https://nyckel.test/aterstall',
        register: 'https://nyckel.test/registrera',
        change: 'https://nyckel.test/byt-losenord',
        routine: `https://nyckel.test/chef/enhet/${w.unit.id}/rutin`,
      },
      mailboxes: [
        {
          id: w.hemtjanstab.id,
          username: 'hemtjanstab',
          displayName: 'Hemtjänst Åby',
          hasPhone: true,
          phoneMasked: '070-••• 45 67',
          passwordChangedAt: '2026-09-15T09:00:00.000Z',
          passwordExpiresAt: '2026-12-14T09:00:00.000Z',
          rotationDates: [
            { date: '2026-12-14', overdue: false },
            { date: '2027-03-14', overdue: false },
            { date: '2027-06-12', overdue: false },
            { date: '2027-09-10', overdue: false },
            // 9 December 2027 is more than a year away.
          ],
        },
        {
          id: w.hemvardsgruppen.id,
          username: 'hemvardsgruppen',
          displayName: 'Hemvårdsgruppen Åby',
          hasPhone: false,
          phoneMasked: null,
          passwordChangedAt: '2026-08-31T09:00:00.000Z',
          passwordExpiresAt: '2026-11-29T09:00:00.000Z',
          rotationDates: [
            { date: '2026-11-29', overdue: true },
            { date: '2027-02-27', overdue: false },
            { date: '2027-05-28', overdue: false },
            { date: '2027-08-26', overdue: false },
            { date: '2027-11-24', overdue: false },
          ],
        },
      ],
      people: [
        { name: 'Maria Lind', email: 'maria.lind@example.se', role: 'manager' },
        { name: 'Dag Ombud', email: 'dag.ombud@example.se', role: 'delegate' },
      ],
      support: DEFAULT_SUPPORT,
      policy: { minLength: 8, minClasses: 3, historyDepth: 24, maxAgeDays: 90 },
      reminders: { mailDays: [14, 3, 0], smsDays: 3 },
      generatedAt: '2026-12-04T09:00:00.000Z',
    });
  });

  it('gives the same routine to a delegate of the unit and to an administrator', async () => {
    const w = await world();
    const asManager = await json<Routine>(await routineAs(w.manager.id, w.unit.id));
    for (const id of [w.delegate.id, w.admin.id]) {
      const res = await routineAs(id, w.unit.id);
      expect(res.status).toBe(200);
      expect(await json<Routine>(res)).toEqual(asManager);
    }
  });

  it('never shows a whole phone number, a password or another unit', async () => {
    const w = await world();
    const text = await (await routineAs(w.manager.id, w.unit.id)).text();
    expect(text).not.toContain('701234567');
    expect(text).not.toContain('Hemvard#2026');
    expect(text).not.toMatch(/password_hash|pbkdf2/i);
    expect(text).not.toContain('bergabrevlada');
    expect(text).not.toContain('Berit Chef');
  });

  it('answers 404 to a manager of another unit, exactly as for an id that does not exist', async () => {
    const w = await world();
    const stranger = await routineAs(w.managerB.id, w.unit.id);
    expect(stranger.status).toBe(404);
    const strangerBody = await stranger.json();
    const missing = await routineAs(w.managerB.id, 'no-such-unit');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(strangerBody);
    expect(JSON.stringify(strangerBody)).not.toContain('Hemtjänst Åby');
  });

  it.each(['no-such-unit', "x' OR '1'='1", '../../admin/units'])(
    'answers 404 for the unit id %j',
    async (id) => {
      const w = await world();
      const res = await routineAs(w.admin.id, id);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    },
  );

  it('answers 401 without a sign-in, and to a mailbox session', async () => {
    const w = await world();
    const path = `/api/manager/units/${w.unit.id}/routine`;
    expect((await call(path)).status).toBe(401);
    const mailbox = await login(w.hemtjanstab);
    const res = await call(path, { cookie: mailbox });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('hemvardsgruppen');
  });

  it('leaves out disabled mailboxes and disabled people', async () => {
    const w = await world();
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = ? WHERE id = ?')
      .bind(NOW, w.hemvardsgruppen.id)
      .run();
    await seedPerson({ name: 'Gammal Chef', roles: { [w.unit.id]: 'manager' }, disabled: true });
    const body = await json<Routine>(await routineAs(w.manager.id, w.unit.id));
    expect(body.mailboxes.map((m) => m.username)).toEqual(['hemtjanstab']);
    expect(body.people.map((p) => p.name)).toEqual(['Maria Lind', 'Dag Ombud']);
  });

  it('builds its links from PUBLIC_ORIGIN, not from the Host header', async () => {
    const w = await world();
    const res = await callWith(
      { ...env, PUBLIC_ORIGIN: 'https://nyckel.orebro.se' },
      `/api/manager/units/${w.unit.id}/routine`,
      { cookie: await personCookie(w.manager.id), headers: { Host: 'evil.example' } },
    );
    expect(res.status).toBe(200);
    const body = await json<Routine>(res);
    expect(Object.values(body.links).every((l) => l.startsWith('https://nyckel.orebro.se/'))).toBe(
      true,
    );
    expect(JSON.stringify(body)).not.toContain('evil.example');
  });

  it('follows the configured policy, reminders and support contact', async () => {
    const w = await world();
    const res = await callWith(
      {
        ...env,
        POLICY_MAX_AGE_DAYS: '60',
        POLICY_MIN_LENGTH: '12',
        REMINDER_DAYS: '7,1',
        SUPPORT_CHANNELS: JSON.stringify([
          { label: '2000, knappval 3 och 1' },
          { email: 'vardochstod@example.se', hours: 'Vardagar 8–16' },
        ]),
      },
      `/api/manager/units/${w.unit.id}/routine`,
      { cookie: await personCookie(w.manager.id) },
    );
    const body = await json<Routine>(res);
    expect(body.policy).toEqual({ minLength: 12, minClasses: 3, historyDepth: 24, maxAgeDays: 60 });
    expect(body.reminders).toEqual({ mailDays: [7, 1], smsDays: 1 });
    // A label that is not a number stays text: no number to dial is made up from it.
    expect(body.support).toEqual([
      supportChannel({ label: '2000, knappval 3 och 1' }),
      supportChannel({ email: 'vardochstod@example.se', hours: 'Vardagar 8–16' }),
    ]);
    // Changed 80 days ago with a 60-day maximum: due 20 days ago, then every 60 days.
    expect(body.mailboxes[0]?.rotationDates.map((d) => d.date)).toEqual([
      '2026-11-14',
      '2027-01-13',
      '2027-03-14',
      '2027-05-13',
      '2027-07-12',
      '2027-09-10',
      '2027-11-09',
    ]);
    expect(body.mailboxes[0]?.rotationDates[0]?.overdue).toBe(true);
  });
});
