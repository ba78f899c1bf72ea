import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AuditPage } from '../../worker/routes/fields';
import { AUDIT_CSV_MAX_ROWS } from '../../worker/services/admin-audit';
import { seedStaff } from '../handover-helpers';
import { call, json, seedMailbox } from '../helpers';
import { identityBody, integrationCall, seedServiceToken } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/** 2026-05-04 08:00:00 UTC. */
const T = Date.UTC(2026, 4, 4, 8, 0, 0) / 1000;
const DAY = 86_400;

async function admin() {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin' });
  return { person, cookie: await personCookie(person.id) };
}

interface Row {
  at: number;
  actor?: string;
  action: string;
  target?: string | null;
  ip?: string | null;
  outcome?: 'success' | 'failure' | 'refused';
  detail?: string | null;
  unitId?: string | null;
}

async function insertAudit(rows: Row[]) {
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        r.at,
        r.actor ?? 'anonymous',
        r.action,
        r.target ?? null,
        r.ip ?? '198.51.100.7',
        r.outcome ?? 'success',
        r.detail ?? null,
        r.unitId ?? null,
      ),
    ),
  );
}

/** A small log over three days in two units. */
async function seedLog() {
  const aby = await seedUnit('Hemtjänst Åby');
  const berga = await seedUnit('Berga boende');
  const mailbox = await seedMailbox({ unitId: aby.id, username: 'hemtjanstab' });
  const maja = await seedPerson({ name: 'Maja Chef', roles: { [aby.id]: 'manager' } });
  await insertAudit([
    {
      at: T - 2 * DAY,
      action: 'mailbox.login',
      target: `mailbox:${mailbox.id}`,
      actor: `mailbox:${mailbox.id}`,
      unitId: aby.id,
    },
    { at: T - DAY, action: 'mailbox.login', outcome: 'failure' },
    {
      at: T - DAY + 60,
      action: 'mailbox.password.change',
      target: `mailbox:${mailbox.id}`,
      actor: `mailbox:${mailbox.id}`,
      unitId: aby.id,
    },
    {
      at: T,
      action: 'mailbox.unlock',
      target: `mailbox:${mailbox.id}`,
      actor: `person:${maja.id}`,
      unitId: aby.id,
    },
    {
      at: T + 60,
      action: 'delegate.add',
      target: `person:${maja.id}`,
      actor: `person:${maja.id}`,
      unitId: berga.id,
      outcome: 'refused',
    },
  ]);
  return { aby, berga, mailbox, maja };
}

async function page(cookie: string, query = '') {
  const res = await call(`/api/admin/audit${query}`, { cookie });
  expect(res.status).toBe(200);
  return v.parse(AuditPage, await res.json());
}

describe('GET /api/admin/audit', () => {
  it('lists every unit’s entries, newest first, with names next to the ids', async () => {
    const { cookie } = await admin();
    const { maja, mailbox } = await seedLog();
    const { items, next } = await page(cookie);
    expect(next).toBeNull();
    expect(items.map((i) => i.action)).toEqual([
      'delegate.add',
      'mailbox.unlock',
      'mailbox.password.change',
      'mailbox.login',
      'mailbox.login',
    ]);
    expect(items[1]).toMatchObject({
      actor: `person:${maja.id}`,
      actorLabel: 'Maja Chef',
      target: `mailbox:${mailbox.id}`,
      targetLabel: 'hemtjanstab',
      at: new Date(T * 1000).toISOString(),
    });
  });

  it('filters by unit, actor, action family and outcome', async () => {
    const { cookie } = await admin();
    const { aby, berga, maja } = await seedLog();
    const actions = async (q: string) => (await page(cookie, q)).items.map((i) => i.action);
    expect(await actions(`?unitId=${berga.id}`)).toEqual(['delegate.add']);
    expect(await actions(`?unitId=${aby.id}`)).toHaveLength(3);
    expect(await actions(`?actor=person:${maja.id}`)).toEqual(['delegate.add', 'mailbox.unlock']);
    expect(await actions('?action=mailbox.password')).toEqual(['mailbox.password.change']);
    expect(await actions('?action=mailbox')).toHaveLength(4);
    expect(await actions('?outcome=failure')).toEqual(['mailbox.login']);
    expect(await actions('?unitId=no-such-unit')).toEqual([]);
  });

  it('filters by dates (whole UTC days) and by exact times', async () => {
    const { cookie } = await admin();
    await seedLog();
    const count = async (q: string) => (await page(cookie, q)).items.length;
    expect(await count('?from=2026-05-04')).toBe(2);
    expect(await count('?to=2026-05-03')).toBe(3);
    expect(await count('?from=2026-05-03&to=2026-05-03')).toBe(2);
    expect(await count('?from=2026-05-04T08:00:00Z&to=2026-05-04T08:01:00Z')).toBe(1);
    expect(await count('?from=2026-05-04T10:00:00%2B02:00')).toBe(2);
  });

  it('pages with before and limit until next is null', async () => {
    const { cookie } = await admin();
    await seedLog();
    const first = await page(cookie, '?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next).toBe(first.items[1]?.id);
    const second = await page(cookie, `?limit=2&before=${first.next}`);
    const third = await page(cookie, `?limit=2&before=${second.next}`);
    expect(third.next).toBeNull();
    const all = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(all).size).toBe(5);
  });

  it.each([
    ['a word as date', '?from=yesterday'],
    ['an impossible date', '?to=2026-13-45'],
    ['a date with a time but no zone', '?from=2026-05-04T08:00:00'],
    ['from after to', '?from=2026-05-05&to=2026-05-04'],
    ['limit 0', '?limit=0'],
    ['limit 101', '?limit=101'],
    ['limit as a word', '?limit=many'],
    ['an unknown outcome', '?outcome=ok'],
    ['a cursor that is not an id', '?before=abc'],
    ['an action over 100 characters', `?action=${'a'.repeat(101)}`],
    ['an empty actor', '?actor='],
    ['an unknown parameter', '?user=x'],
  ])('refuses %s with 400', async (_label, query) => {
    const { cookie } = await admin();
    for (const path of ['/api/admin/audit', '/api/admin/audit.csv']) {
      const res = await call(`${path}${query}`, { cookie });
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
      expect((await json(res)).error).toBe('invalid_request');
    }
  });
});

/** Splits a CSV body into records of cells (enough RFC 4180 for these tests). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('names for every kind of reference', () => {
  it('names a new hire and the service token that registered it, and a staff member in the details', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit('Hemtjänst Åby');
    const service = await seedServiceToken();
    const res = await integrationCall('/api/integration/identities', service.token, {
      body: { identities: [{ userId: 'annand01', ...identityBody(unit.id) }] },
    });
    expect(res.status).toBe(200);
    const staff = await seedStaff(unit.id, { name: 'Omar Berg' });
    await insertAudit([
      {
        at: T,
        actor: 'system',
        action: 'handover.sms',
        detail: JSON.stringify({ handover: 'h-1', link: 'l-1', staff: staff.id }),
        unitId: unit.id,
      },
    ]);
    const { items } = await page(cookie);
    const created = items.find((i) => i.action === 'identity.create');
    expect(created?.actor).toBe(`service:${service.id}`);
    expect(created?.actorLabel).toMatch(/^HR \d+$/);
    expect(created?.targetLabel).toBe('Anna Andersson');
    const sms = items.find((i) => i.action === 'handover.sms');
    expect(sms?.detailNames).toEqual({ staff: 'Omar Berg' });
  });

  it('keeps the raw reference of a thing that is gone, and reads a bad detail without failing', async () => {
    const { cookie } = await admin();
    await insertAudit([
      { at: T, actor: 'person:gone', action: 'staff.remove', target: 'staff:gone' },
      { at: T + 1, action: 'handover.sms', detail: 'not json' },
    ]);
    const { items } = await page(cookie);
    expect(items[1]).toMatchObject({ actorLabel: 'person:gone', targetLabel: 'staff:gone' });
    expect(items[0]?.detail).toBeNull();
    expect(items[0]?.detailNames).toBeUndefined();
  });
});

describe('GET /api/admin/audit.csv', () => {
  async function csv(cookie: string, query = '', headers?: Record<string, string>) {
    const res = await call(`/api/admin/audit.csv${query}`, { cookie, headers });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      res,
      bytes,
      text: new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(bytes),
    };
  }

  it('is UTF-8 with a BOM, semicolons and CRLF, as an attachment named for today', async () => {
    const { cookie } = await admin();
    await seedLog();
    const { res, bytes, text } = await csv(cookie);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="nyckel-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Nyckel-Export-Truncated')).toBeNull();
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(
      text.startsWith('\uFEFFTid (UTC);Aktör;Händelse;Mål;Enhet;Adress;Utfall;Detaljer\r\n'),
    ).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(text.slice(1));
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.length === 8)).toBe(true);
  });

  it('writes times in UTC for Excel, names and actions in words with their ids and codes, unit names and outcomes in Swedish', async () => {
    const { cookie } = await admin();
    const { maja, mailbox } = await seedLog();
    const rows = parseCsv((await csv(cookie, '?action=mailbox.unlock')).text.slice(1));
    expect(rows[1]).toEqual([
      '2026-05-04 08:00:00',
      `Maja Chef (person:${maja.id})`,
      'Brevlådan upplåst (mailbox.unlock)',
      `hemtjanstab (mailbox:${mailbox.id})`,
      'Hemtjänst Åby',
      '198.51.100.7',
      'lyckades',
      '',
    ]);
  });

  it('has an English header and outcomes for Accept-Language en', async () => {
    const { cookie } = await admin();
    await seedLog();
    const { text } = await csv(cookie, '?outcome=refused', { 'Accept-Language': 'en' });
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'Time (UTC)',
      'Actor',
      'Action',
      'Target',
      'Unit',
      'Address',
      'Outcome',
      'Details',
    ]);
    expect(rows[1]?.[6]).toBe('refused');
    expect(rows).toHaveLength(2);
  });

  it('quotes a value with a semicolon or a quote, and turns would-be formulas into text', async () => {
    const { cookie } = await admin();
    await insertAudit([
      { at: T, action: 'unit.rename', detail: '{"name":"Åby; \\"natt\\""}' },
      { at: T + 1, action: '=HYPERLINK("https://evil.example";"klicka")', ip: '@SUM(A1)' },
      { at: T + 2, action: '+46701234567', actor: '-1+1' },
    ]);
    const { text } = await csv(cookie);
    expect(text).toContain(';"{""name"":""Åby; \\""natt\\""""}"\r\n');
    expect(text).toContain(';"\'=HYPERLINK(""https://evil.example"";""klicka"")";');
    expect(text).toContain(";'@SUM(A1);");
    const rows = parseCsv(text.slice(1));
    expect(rows[1]?.slice(1, 3)).toEqual(["'-1+1", "'+46701234567"]);
    expect(rows[2]?.[2]).toBe('\'=HYPERLINK("https://evil.example";"klicka")');
    expect(rows[3]?.[7]).toBe('{"name":"Åby; \\"natt\\""}');
    expect(rows.every((r) => r.length === 8)).toBe(true);
  });

  it('neutralises a formula in a name an administrator typed', async () => {
    const { cookie } = await admin();
    const res = await call('/api/admin/units', { body: { name: '=1+1' }, cookie });
    expect(res.status).toBe(201);
    const rows = parseCsv((await csv(cookie, '?action=unit.create')).text.slice(1));
    expect(rows[1]?.[4]).toBe("'=1+1");
  });

  it('applies the same filters as the list', async () => {
    const { cookie } = await admin();
    const { berga } = await seedLog();
    const rows = parseCsv((await csv(cookie, `?unitId=${berga.id}&from=2026-05-04`)).text.slice(1));
    expect(rows.map((r) => r[2])).toEqual(['Händelse', 'Ombud tillagt (delegate.add)']);
  });

  it('is itself written to the log, with the number of rows', async () => {
    const { person, cookie } = await admin();
    await seedLog();
    await csv(cookie);
    const row = await env.DB.prepare(
      "SELECT actor, outcome, detail FROM audit WHERE action = 'audit.export'",
    ).first();
    expect(row).toEqual({
      actor: `person:${person.id}`,
      outcome: 'success',
      detail: '{"rows":5,"truncated":false}',
    });
  });

  it(`stops at ${AUDIT_CSV_MAX_ROWS} rows, newest first, and says so in a header`, async () => {
    const { cookie } = await admin();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO audit (at, actor, action, outcome) SELECT ? + i, 'anonymous', 'mailbox.login', 'failure' FROM n`,
    )
      .bind(AUDIT_CSV_MAX_ROWS + 5, T)
      .run();
    const { res, text } = await csv(cookie);
    expect(res.headers.get('Nyckel-Export-Truncated')).toBe('true');
    const lines = text.split('\r\n');
    // Header, the rows, and the empty string after the last CRLF.
    expect(lines).toHaveLength(AUDIT_CSV_MAX_ROWS + 2);
    const newest = new Date((T + AUDIT_CSV_MAX_ROWS + 5) * 1000).toISOString().slice(0, 19);
    expect(lines[1]?.startsWith(newest.replace('T', ' '))).toBe(true);
  });
});
