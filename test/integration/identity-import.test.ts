import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { auditRows, call, json, snapshot } from '../helpers';
import { dayFromToday, integrationCall, PNR, validPnr } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * The administrator's CSV import of hires and the service tokens other
 * systems use, through HTTP: what Swedish Excel writes, a preview with an error per row, the
 * import, and tokens shown once, stored hashed, scoped and revocable.
 */

interface ImportAnswer {
  separator: string;
  rows: {
    line: number;
    userId: string;
    status: string;
    issues: { path: string; code?: string }[];
  }[];
  counts: { ok: number; errors: number };
  committed: boolean;
}

async function admin() {
  const unit = await seedUnit('Hemtjänst Åby');
  const person = await seedPerson({ isAdmin: true });
  return { unit, cookie: await personCookie(person.id) };
}

function csv(unit: string, separator = ';') {
  const start = dayFromToday(9);
  return [
    [
      'Användar-id',
      'Personnummer',
      'HSA-id',
      'Förnamn',
      'Efternamn',
      'Enhet',
      'Startdatum',
      'Status',
    ],
    [
      'annand01',
      PNR.anna.input,
      'SE2321000131-E000000000001',
      'Anna',
      'Andersson',
      unit,
      start,
      'ny',
    ],
    ['akeost02', PNR.ake.input, '', 'Åke', 'Öst', unit, start, 'Aktiv'],
    ['fel03', '811228-9875', 'SE-1', '', 'Fel', 'Okänd enhet', '2026-02-30', 'sparkad'],
  ]
    .map((r) => r.join(separator))
    .join('\r\n');
}

async function preview(cookie: string, text: string) {
  return call('/api/admin/identities/preview', { cookie, body: { csv: text } });
}

describe('CSV import', () => {
  it('previews Swedish Excel (BOM, semicolons, unit by name) with every problem of every row, writing nothing', async () => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await preview(cookie, `\uFEFF${csv('Hemtjänst Åby')}`);
    expect(res.status).toBe(200);
    const answer = await json<ImportAnswer>(res);
    expect(answer).toMatchObject({
      separator: ';',
      counts: { ok: 2, errors: 1 },
      committed: false,
    });
    expect(answer.rows.map((r) => [r.line, r.userId, r.status])).toEqual([
      [2, 'annand01', 'ok'],
      [3, 'akeost02', 'ok'],
      [4, 'fel03', 'error'],
    ]);
    expect(answer.rows[2]?.issues.map((i) => i.code).sort()).toEqual(
      [
        'family_name',
        'given_name',
        'hsa_id',
        'personal_number_checksum',
        'start_date',
        'state',
        'unit',
      ]
        .filter((c) => c !== 'family_name')
        .sort(),
    );
    expect(JSON.stringify(answer)).not.toContain('811228-9875');
    expect(await snapshot()).toEqual(before);
  });

  it('imports a long file in parts of 50 rows, each part naming where the next starts', async () => {
    const { cookie } = await admin();
    // One good row and one with an error, repeated: 120 data rows with fresh user ids.
    const header = csv('Hemtjänst Åby').split('\r\n')[0] ?? '';
    const rows = Array.from({ length: 120 }, (_, i) =>
      i % 2 === 0
        ? `del${String(i).padStart(3, '0')};${validPnr(i)};;Del;Nummer${i};Hemtjänst Åby;${dayFromToday(30)};ny`
        : `fel${String(i).padStart(3, '0')};${validPnr(i)};;Fel;Rad${i};Ingen sådan enhet;${dayFromToday(30)};ny`,
    );
    const file = [header, ...rows].join('\n');
    const parts: { rows: { status: string }[]; next: number | null; total: number }[] = [];
    let from: number | null = 0;
    while (from !== null) {
      const res = await call('/api/admin/identities/import', { cookie, body: { csv: file, from } });
      expect(res.status).toBe(200);
      const part = await json<(typeof parts)[number]>(res);
      parts.push(part);
      from = part.next;
    }
    expect(parts.map((p) => [p.rows.length, p.next, p.total])).toEqual([
      [50, 50, 120],
      [50, 100, 120],
      [20, null, 120],
    ]);
    const statuses = parts.flatMap((p) => p.rows.map((r) => r.status));
    expect(statuses.filter((s) => s === 'created')).toHaveLength(60);
    expect(statuses.filter((s) => s === 'error')).toHaveLength(60);
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first<{ n: number }>();
    expect(n?.n).toBe(60);
    for (const bad of [-1, 1.5, '50', 5001]) {
      const res = await call('/api/admin/identities/import', {
        cookie,
        body: { csv: file, from: bad },
      });
      expect(res.status).toBe(400);
    }
  });

  it('reads commas and a unit id too', async () => {
    const { unit, cookie } = await admin();
    const answer = await json<ImportAnswer>(await preview(cookie, csv(unit.id, ',')));
    expect(answer).toMatchObject({ separator: ',', counts: { ok: 2, errors: 1 } });
  });

  it('imports the good rows, lists the bad one, and a second import changes nothing', async () => {
    const { cookie } = await admin();
    const res = await call('/api/admin/identities/import', {
      cookie,
      body: { csv: csv('Hemtjänst Åby') },
    });
    expect(res.status).toBe(200);
    const answer = await json<ImportAnswer>(res);
    expect(answer.rows.map((r) => r.status)).toEqual(['created', 'created', 'error']);
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first<{ n: number }>();
    expect(n?.n).toBe(2);
    const states = await env.DB.prepare(
      'SELECT user_id, state FROM identities ORDER BY user_id',
    ).all();
    expect(states.results).toEqual([
      { user_id: 'akeost02', state: 'active' },
      { user_id: 'annand01', state: 'new' },
    ]);
    const again = await json<ImportAnswer>(
      await call('/api/admin/identities/import', { cookie, body: { csv: csv('Hemtjänst Åby') } }),
    );
    expect(again.rows.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'error']);
    expect((await auditRows()).filter((r) => r.action === 'identity.create')).toHaveLength(2);
  });

  it.each([
    ['missing columns', 'Namn;Telefon\nAnna;070', /Columns missing/],
    [
      'an unclosed quote',
      'Användar-id;Personnummer;Förnamn;Efternamn;Enhet;Startdatum;Status\n"anna;1',
      /not closed/,
    ],
    ['only a header', '\uFEFF', /no rows/],
  ])('refuses a file with %s, with a clear 400', async (_name, text, message) => {
    const { cookie } = await admin();
    const res = await preview(cookie, text);
    expect(res.status).toBe(400);
    const body = await json<{ issues: { message: string }[] }>(res);
    expect(body.issues[0]?.message).toMatch(message);
  });

  it('refuses a body that is not the shape, and a file over 2 MB', async () => {
    const { cookie } = await admin();
    expect(
      (await call('/api/admin/identities/preview', { cookie, body: { csv: 12 } })).status,
    ).toBe(400);
    expect((await call('/api/admin/identities/preview', { cookie, body: {} })).status).toBe(400);
    const big = await preview(cookie, 'a'.repeat(2_000_001));
    expect(big.status).toBe(400);
  });

  it('needs a fresh sign-in to import, not to preview', async () => {
    const person = await seedPerson({ isAdmin: true });
    await seedUnit('Hemtjänst Åby');
    const stale = await personCookie(person.id, { verifiedAgoSeconds: 11 * 60 });
    expect((await preview(stale, csv('Hemtjänst Åby'))).status).toBe(200);
    const res = await call('/api/admin/identities/import', {
      cookie: stale,
      body: { csv: csv('Hemtjänst Åby') },
    });
    expect(res.status).toBe(403);
  });
});

describe('service tokens', () => {
  it('shows the token once, stores only its hash, and works at once with its scope only', async () => {
    const { unit, cookie } = await admin();
    const created = await call('/api/admin/service-tokens', {
      cookie,
      body: { name: 'Lönesystemet', scopes: ['identities:write'] },
    });
    expect(created.status).toBe(201);
    const { id, token } = await json<{ id: string; token: string }>(created);
    expect(token).toMatch(/^nyk_[\w-]{43}$/);
    const list = await (await call('/api/admin/service-tokens', { cookie })).text();
    expect(list).not.toContain(token);
    expect(JSON.stringify(await snapshot())).not.toContain(token);

    const body = {
      personalNumber: PNR.anna.input,
      givenName: 'Anna',
      familyName: 'Andersson',
      unitId: unit.id,
      startDate: dayFromToday(3),
      state: 'new',
    };
    const put = () =>
      integrationCall('/api/integration/identities/annand01', token, { method: 'PUT', body });
    expect((await put()).status).toBe(201);
    const verify = await integrationCall('/api/integration/mailboxes/verify', token, {
      body: { username: 'hemtjanstab', password: 'x' },
    });
    expect(verify.status).toBe(403);

    expect(
      (await call(`/api/admin/service-tokens/${id}`, { cookie, method: 'DELETE' })).status,
    ).toBe(204);
    expect((await put()).status).toBe(401);
    expect(
      (await call(`/api/admin/service-tokens/${id}`, { cookie, method: 'DELETE' })).status,
    ).toBe(404);
    const actions = (await auditRows()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['service_token.create', 'service_token.revoke']),
    );
  });

  it.each([
    ['no name', { name: ' ', scopes: ['identities:write'] }],
    ['no scope', { name: 'HR', scopes: [] }],
    ['an unknown scope', { name: 'HR', scopes: ['admin'] }],
    ['a string for the scopes', { name: 'HR', scopes: 'identities:write' }],
  ])('refuses %s with 400 and writes nothing', async (_name, body) => {
    const { cookie } = await admin();
    const res = await call('/api/admin/service-tokens', { cookie, body });
    expect(res.status).toBe(400);
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM service_tokens').first<{
      n: number;
    }>();
    expect(n?.n).toBe(0);
  });
});
