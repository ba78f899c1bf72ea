import { createScheduledController, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { setBirthIndexes } from '../../worker/db/identities';
import worker from '../../worker/index';
import { cronDeps } from '../../worker/services/deps';
import { backfillBirthIndexes, NUMBER_SEARCHES_PER_HOUR } from '../../worker/services/identities';
import { WEBHOOK_CRON } from '../../worker/services/webhooks';
import { call, json } from '../helpers';
import { identityBody, integrationCall, PNR, seedServiceToken } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Finding a new hire through HTTP against real D1: the start of a personnummer from the birth
 * date on (through the blind birth-date index, never the clear number), names as word
 * prefixes in either order, only ever in the searcher's own units, and the scheduled backfill
 * that gives rows written before the birth-date index existed their index.
 */

/** A personnummer `YYYYMMDD-NNNC` with its Luhn check digit computed here. */
function pnr(yyyymmdd: string, nnn: string): string {
  const nine = `${yyyymmdd.slice(2)}${nnn}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${yyyymmdd}-${nnn}${(10 - (sum % 10)) % 10}`;
}

/** Anna's twin in birth date: 19850612, another serial (never 12…, so "19850612-12" is Anna's). */
const BERTIL = pnr('19850612', '456');
/** Born the same day in another unit: never found from this one. */
const STRANGER = pnr('19850612', '789');
/** Born 2005-06-12: "050612" also reads as 1905, where nobody is. */
const CILLA = pnr('20050612', '222');

async function put(token: string, userId: string, body: unknown) {
  const res = await integrationCall(`/api/integration/identities/${userId}`, token, {
    method: 'PUT',
    body,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res;
}

async function world() {
  const unit = await seedUnit('Hemtjänst Berga');
  const other = await seedUnit('Hemtjänst Nord');
  const manager = await seedPerson({ name: 'Maja Chef', roles: { [unit.id]: 'manager' } });
  const otherManager = await seedPerson({ roles: { [other.id]: 'manager' } });
  const { token } = await seedServiceToken();
  const people: [string, Parameters<typeof identityBody>[1]][] = [
    ['annand01', { unitId: unit.id }],
    ['bertil01', { personalNumber: BERTIL, hsaId: null, givenName: 'Bertil', familyName: 'Berg' }],
    [
      'akeost02',
      { personalNumber: PNR.ake.input, hsaId: null, givenName: 'Åke', familyName: 'Öst' },
    ],
    [
      'samord03',
      {
        personalNumber: PNR.coordination.input,
        hsaId: null,
        givenName: 'Lena',
        familyName: 'Åberg',
      },
    ],
    ['cilla04', { personalNumber: CILLA, hsaId: null, givenName: 'Cilla', familyName: 'Ceder' }],
    [
      'amari05',
      {
        personalNumber: pnr('19900101', '111'),
        hsaId: null,
        givenName: 'Anna Maria',
        familyName: 'Lund',
      },
    ],
  ];
  for (const [userId, overrides] of people) {
    await put(token, userId, identityBody(unit.id, overrides));
  }
  await put(
    token,
    'frammad01',
    identityBody(other.id, {
      personalNumber: STRANGER,
      hsaId: null,
      givenName: 'Anna',
      familyName: 'Andersson',
    }),
  );
  return {
    unit,
    other,
    token,
    cookie: await personCookie(manager.id),
    otherCookie: await personCookie(otherManager.id),
  };
}

async function searchRaw(cookie: string, q: unknown) {
  return call('/api/manager/identities/search', { cookie, body: { q } });
}

async function search(cookie: string, q: string): Promise<string[]> {
  const res = await searchRaw(cookie, q);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expectNoClearNumber(text);
  return (JSON.parse(text) as { userId: string }[]).map((r) => r.userId).sort();
}

/** No answer carries a personnummer in clear: only the masked `YYYYMM••-••••`. */
function expectNoClearNumber(text: string) {
  for (const number of [PNR.anna.input, PNR.ake.input, PNR.coordination.input, BERTIL, CILLA]) {
    const digits = number.replace('-', '');
    expect(text).not.toContain(digits);
    expect(text).not.toContain(digits.slice(2));
    expect(text).not.toContain(number);
    expect(text).not.toContain(number.slice(2));
  }
}

describe('the start of a personnummer finds everyone born that day in the unit', () => {
  it.each([
    ['YYYYMMDD', '19850612', ['annand01', 'bertil01']],
    ['YYYYMMDD and a hyphen', '19850612-', ['annand01', 'bertil01']],
    ['YYMMDD', '850612', ['annand01', 'bertil01']],
    ['YYMMDD and a hyphen', '850612-', ['annand01', 'bertil01']],
    ['YYMMDD of this century', '050612', ['cilla04']],
    ['YYMMDD of this century and a hyphen', '050612-2', ['cilla04']],
    ['YYMMDD, a plus for 100 or older', '050612+', []],
    ['the short form of Åke’s birth date', '811228', ['akeost02']],
    ['a samordningsnummer as written (day + 60)', '701063', ['samord03']],
    ['a samordningsnummer with its century', '19701063-23', ['samord03']],
    ['the real day of a samordningsnummer is another day', '19701003', []],
  ])('by %s', async (_name, q, expected) => {
    const w = await world();
    expect(await search(w.cookie, q)).toEqual(expected);
  });

  it('keeps only those whose number goes on as typed when more digits follow the date', async () => {
    const w = await world();
    expect(await search(w.cookie, '19850612-12')).toEqual(['annand01']);
    expect(await search(w.cookie, '1985061212')).toEqual(['annand01']);
    expect(await search(w.cookie, '850612-4')).toEqual(['bertil01']);
    expect(await search(w.cookie, '8506124')).toEqual(['bertil01']);
    expect(await search(w.cookie, '19850612-9')).toEqual([]);
    // A whole number with a wrong check digit matches nobody, though its start would.
    expect(await search(w.cookie, '19850612-1239')).toEqual([]);
    expect(await search(w.cookie, PNR.anna.input)).toEqual(['annand01']);
  });

  it('shows the masked number, never the clear one', async () => {
    const w = await world();
    const res = await searchRaw(w.cookie, '19850612-123');
    const body = await json<{ userId: string; personalNumberMasked: string }[]>(res);
    expect(body).toEqual([
      expect.objectContaining({ userId: 'annand01', personalNumberMasked: '198506••-••••' }),
    ]);
    expect(JSON.stringify(body)).not.toContain('1238');
  });

  it('never finds another unit’s people, while an administrator finds everyone', async () => {
    const w = await world();
    expect(await search(w.otherCookie, '19850612')).toEqual(['frammad01']);
    expect(await search(w.otherCookie, '850612-12')).toEqual([]);
    expect(await search(w.otherCookie, '811228')).toEqual([]);
    const admin = await seedPerson({ isAdmin: true });
    expect(await search(await personCookie(admin.id), '850612')).toEqual([
      'annand01',
      'bertil01',
      'frammad01',
    ]);
  });

  it('keeps the clear number out of the index: only a keyed hash of the date is stored', async () => {
    await world();
    const rows = await env.DB.prepare(
      'SELECT birth_index, pnr_index FROM identities WHERE user_id IN (?, ?)',
    )
      .bind('annand01', 'bertil01')
      .all<{ birth_index: string; pnr_index: string }>();
    const [a, b] = rows.results;
    expect(a?.birth_index).toMatch(/^[0-9a-f]{64}$/);
    // Born the same day: the same birth index, different number indexes.
    expect(a?.birth_index).toBe(b?.birth_index);
    expect(a?.pnr_index).not.toBe(b?.pnr_index);
    expect(a?.birth_index).not.toContain('19850612');
  });
});

describe('names match word by word, in either order', () => {
  it.each([
    ['given family', 'Anna Andersson', ['annand01']],
    ['family given', 'Andersson Anna', ['annand01']],
    ['prefixes of both, family first', 'and an', ['annand01']],
    ['prefixes of both, given first', 'an and', ['annand01']],
    ['diacritics left out, family first', 'ost ake', ['akeost02']],
    ['diacritics typed, upper case', 'ÖST ÅKE', ['akeost02']],
    ['two given names and the family name', 'anna maria lund', ['amari05']],
    ['family name, then the first given name', 'lund anna', ['amari05']],
    ['extra spaces', '  berg   bertil ', ['bertil01']],
    ['one word, given or family', 'an', ['amari05', 'annand01']],
    ['two words that do not belong together', 'anna berg', []],
  ])('%s', async (_name, q, expected) => {
    const w = await world();
    expect(await search(w.cookie, q)).toEqual(expected);
  });
});

describe('bad input is a 400, and says nothing about anyone', () => {
  it.each([
    ['a single character', 'a'],
    ['only spaces', '    '],
    ['too long', '1'.repeat(101)],
    ['a number instead of text', 19850612],
    ['a list', ['19850612']],
    ['null', null],
  ])('refuses %s', async (_name, q) => {
    const w = await world();
    const res = await searchRaw(w.cookie, q);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('Anna');
    expectNoClearNumber(text);
  });

  it.each([
    ['an impossible date', '19851312'],
    ['a date in the future', '20991231'],
    ['a plus after a four-digit year', '19850612+'],
    ['too many digits after the date', '850612-12345'],
  ])('finds nobody for %s', async (_name, q) => {
    const w = await world();
    expect(await search(w.cookie, q)).toEqual([]);
  });

  it('needs a signed-in person', async () => {
    await world();
    const res = await call('/api/manager/identities/search', { body: { q: '19850612' } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('annand01');
  });
});

describe('rows written before the birth-date index get it from the scheduled run', () => {
  /** As a row from before migration 0012: no birth index. */
  async function forgetBirthIndexes() {
    await env.DB.prepare('UPDATE identities SET birth_index = NULL').run();
  }

  async function missing() {
    return env.DB.prepare(
      'SELECT COUNT(*) AS n FROM identities WHERE birth_index IS NULL',
    ).first<number>('n');
  }

  it('fills them in from the sealed personnummer, a bounded number per run', async () => {
    const w = await world();
    await forgetBirthIndexes();
    expect(await search(w.cookie, '19850612')).toEqual([]);
    expect(await missing()).toBe(7);

    expect(await backfillBirthIndexes(cronDeps(env), 3)).toEqual({ filled: 3, unreadable: 0 });
    expect(await missing()).toBe(4);
    expect(await backfillBirthIndexes(cronDeps(env), 3)).toEqual({ filled: 3, unreadable: 0 });
    expect(await backfillBirthIndexes(cronDeps(env), 3)).toEqual({ filled: 1, unreadable: 0 });
    expect(await backfillBirthIndexes(cronDeps(env), 3)).toEqual({ filled: 0, unreadable: 0 });
    expect(await missing()).toBe(0);
    expect(await search(w.cookie, '19850612')).toEqual(['annand01', 'bertil01']);
    expect(await search(w.cookie, '850612-12')).toEqual(['annand01']);
  });

  it('writes the same index an upsert writes', async () => {
    await world();
    const before = await env.DB.prepare('SELECT id, birth_index FROM identities ORDER BY id').all();
    await forgetBirthIndexes();
    await backfillBirthIndexes(cronDeps(env));
    const after = await env.DB.prepare('SELECT id, birth_index FROM identities ORDER BY id').all();
    expect(after.results).toEqual(before.results);
  });

  it('runs from the five-minute cron', async () => {
    const w = await world();
    await forgetBirthIndexes();
    await worker.scheduled(
      createScheduledController({ cron: WEBHOOK_CRON, scheduledTime: Date.now() }),
      env,
    );
    expect(await missing()).toBe(0);
    expect(await search(w.cookie, '811228')).toEqual(['akeost02']);
  });

  it('marks a personnummer it cannot unseal and moves on, leaving other rows alone', async () => {
    const w = await world();
    await forgetBirthIndexes();
    // A ciphertext moved from another identity does not decrypt under this one's context.
    await env.DB.prepare(
      `UPDATE identities SET pnr_sealed = (SELECT pnr_sealed FROM identities WHERE user_id = ?)
       WHERE user_id = ?`,
    )
      .bind('akeost02', 'bertil01')
      .run();
    expect(await backfillBirthIndexes(cronDeps(env))).toEqual({ filled: 7, unreadable: 1 });
    const bertil = await env.DB.prepare('SELECT birth_index FROM identities WHERE user_id = ?')
      .bind('bertil01')
      .first<string>('birth_index');
    expect(bertil).toBe('unreadable');
    expect(await backfillBirthIndexes(cronDeps(env))).toEqual({ filled: 0, unreadable: 0 });
    expect(await search(w.cookie, '19850612')).toEqual(['annand01']);
  });

  it('leaves a row alone that an upsert changed since it was read', async () => {
    const w = await world();
    await forgetBirthIndexes();
    // The upsert moved Anna to another number; the backfill read the old one.
    const old = await env.DB.prepare('SELECT id, pnr_sealed FROM identities WHERE user_id = ?')
      .bind('annand01')
      .first<{ id: string; pnr_sealed: string }>();
    await put(
      w.token,
      'annand01',
      identityBody(w.unit.id, { personalNumber: pnr('19850613', '123') }),
    );
    const changed = await setBirthIndexes(env.DB, [
      { id: old?.id ?? '', pnrSealed: old?.pnr_sealed ?? '', birthIndex: 'stale' },
    ]);
    expect(changed).toBe(0);
    expect(await search(w.cookie, '19850613')).toEqual(['annand01']);
  });
});

describe('the masked number shows the year and month only', () => {
  it('hides the birth day of a samordningsnummer too', async () => {
    const w = await world();
    const res = await searchRaw(w.cookie, 'Lena Åberg');
    const body = await json<{ personalNumberMasked: string }[]>(res);
    expect(body.map((r) => r.personalNumberMasked)).toEqual(['197010••-••••']);
  });

  it('remasks a row stored with the older mask, and the migration rewrites the column', async () => {
    const w = await world();
    await env.DB.prepare('UPDATE identities SET pnr_masked = ? WHERE user_id = ?')
      .bind('19850612-••••', 'annand01')
      .run();
    const res = await searchRaw(w.cookie, 'annand01');
    expect(await res.text()).toContain('"198506••-••••"');

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0013_'));
    // Its remasking statement only; the migration's other statements add columns once.
    for (const query of migration?.queries ?? []) {
      if (query.includes('pnr_masked')) await env.DB.prepare(query).run();
    }
    const stored = await env.DB.prepare(
      'SELECT DISTINCT pnr_masked FROM identities ORDER BY 1',
    ).all<{ pnr_masked: string }>();
    expect(stored.results.map((r) => r.pnr_masked)).toEqual([
      '197010••-••••',
      '198112••-••••',
      '198506••-••••',
      '199001••-••••',
      '200506••-••••',
    ]);
  });
});

describe('personnummer searches are capped per person and audited', () => {
  async function auditRows(personId: string) {
    const rows = await env.DB.prepare(
      `SELECT outcome, detail FROM audit WHERE action = 'identity.search_pnr' AND actor = ?
       ORDER BY id`,
    )
      .bind(`person:${personId}`)
      .all<{ outcome: string; detail: string }>();
    return rows.results;
  }

  it('answers 20 whole-number searches an hour, then 429 with Retry-After', async () => {
    const w = await world();
    const manager = await seedPerson({ roles: { [w.unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    for (let i = 0; i < NUMBER_SEARCHES_PER_HOUR; i++) {
      expect(await search(cookie, PNR.anna.input)).toEqual(['annand01']);
    }
    const refused = await searchRaw(cookie, BERTIL);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await json(refused)).toMatchObject({ error: 'rate_limited' });
    // Names, user ids and HSA-ids are not personnummer searches: they go on.
    expect(await search(cookie, 'Bertil Berg')).toEqual(['bertil01']);
    // Another person's budget is their own.
    expect(await search(w.cookie, BERTIL)).toEqual(['bertil01']);
  });

  it('counts birth-date starts in the same budget', async () => {
    const w = await world();
    const manager = await seedPerson({ roles: { [w.unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    for (let i = 0; i < NUMBER_SEARCHES_PER_HOUR / 2; i++) {
      await search(cookie, PNR.anna.input);
      await search(cookie, `19850612-${i % 10}`);
    }
    expect((await searchRaw(cookie, '19850612')).status).toBe(429);
    expect((await searchRaw(cookie, PNR.ake.input)).status).toBe(429);
  });

  it('audits every search with the masked forms only, refused ones too', async () => {
    const w = await world();
    const manager = await seedPerson({ roles: { [w.unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    await search(cookie, PNR.anna.input);
    await search(cookie, '850612-12');
    await search(cookie, 'Anna');
    for (let i = 2; i < NUMBER_SEARCHES_PER_HOUR; i++) await search(cookie, PNR.ake.input);
    expect((await searchRaw(cookie, PNR.anna.input)).status).toBe(429);

    const rows = await auditRows(manager.id);
    expect(rows).toHaveLength(NUMBER_SEARCHES_PER_HOUR + 1);
    expect(rows[0]).toEqual({
      outcome: 'success',
      detail: JSON.stringify({ form: 'whole', numbers: '198506••-••••', found: 1 }),
    });
    expect(rows[1]).toEqual({
      outcome: 'success',
      detail: JSON.stringify({ form: 'birth_date', numbers: '198506••-••', found: 1 }),
    });
    expect(rows.at(-1)).toEqual({
      outcome: 'refused',
      detail: JSON.stringify({
        form: 'whole',
        numbers: '198506••-••••',
        result: 'rate_limited',
      }),
    });
    const all = JSON.stringify(rows);
    expectNoClearNumber(all);
    expect(all).not.toContain('0612');
  });
});
