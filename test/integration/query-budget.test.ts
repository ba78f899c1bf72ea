import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker, { app } from '../../worker/index';
import { IDENTITIES_PER_REQUEST } from '../../worker/routes/identities.schemas';
import { countedBindings } from '../binding-calls';
import { ORIGIN, OUTSIDE_IP, seedMailbox } from '../helpers';
import { dayFromToday, identityBody, seedServiceToken, validPnr } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Cloudflare counts every D1 query of one Worker invocation, its waitUntil work included,
 * and refuses those past 1,000 (Workers Paid; D1 limits, "Queries per Worker invocation").
 * Local workerd does not enforce it, so this file counts: the real local D1 behind a Proxy
 * that counts each statement run on its own and each batch (one query), while requests go
 * through the app as in production. The largest request a client may send must stay under
 * the limit with room to spare.
 */

const LIMIT = 1000;

/** D1 queries counted by the shared wrapper (sessions included), before and after the answer. */
function countingEnv() {
  const { env: counting, counter } = countedBindings(env);
  return { env: counting, queries: () => counter.before.d1 + counter.after.d1 };
}

/** One request through the app with a counting D1; the count includes its waitUntil work. */
async function counted(path: string, init: { body: unknown; headers: Record<string, string> }) {
  const counting = countingEnv();
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'CF-Connecting-IP': OUTSIDE_IP,
        ...init.headers,
      },
      body: JSON.stringify(init.body),
    }),
    counting.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, queries: counting.queries() };
}

function hires(unitId: string, n: number, from = 0) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      userId: `rakna${String(i).padStart(3, '0')}`,
      ...identityBody(unitId, {
        personalNumber: validPnr(i),
        hsaId: null,
        givenName: `Anna${i}`,
        startDate: dayFromToday(20),
      }),
    };
  });
}

/** A unit with `people` managers and delegates, each e-mailed about every new hire. */
async function unitWith(people: number) {
  const unit = await seedUnit('Hemtjänst Räknebo');
  for (let i = 0; i < people; i++) {
    await seedPerson({ name: `Chef ${i}`, roles: { [unit.id]: i === 0 ? 'manager' : 'delegate' } });
  }
  return unit;
}

describe('D1 queries per request, under the edge limit of 1,000', () => {
  // In development every e-mail is also written to the outbox table: a hire costs about
  // 8 + 2r queries here against 8 + r in production (r managers and delegates e-mailed), so
  // five here stand for ten in production.
  it('a full batch of new hires, in a unit with ten managers and delegates to e-mail', async () => {
    const unit = await unitWith(5);
    const { token } = await seedServiceToken();
    const { res, queries } = await counted('/api/integration/identities', {
      headers: { Authorization: `Bearer ${token}` },
      body: { identities: hires(unit.id, IDENTITIES_PER_REQUEST) },
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ results: { status: number }[] }>();
    expect(body.results.filter((r) => r.status === 201)).toHaveLength(IDENTITIES_PER_REQUEST);
    console.log(
      `batch of ${IDENTITIES_PER_REQUEST} hires, 5 recipients (10 in production): ${queries} D1 queries`,
    );
    expect(queries).toBeLessThan(LIMIT);
  });

  it('one part of a CSV import, in the same unit', async () => {
    const unit = await unitWith(5);
    const admin = await seedPerson({ isAdmin: true });
    const cookie = await personCookie(admin.id);
    const rows = hires(unit.id, IDENTITIES_PER_REQUEST * 2 + 7).map((h) =>
      [h.userId, h.personalNumber, h.givenName, h.familyName, unit.name, h.startDate, 'ny'].join(
        ';',
      ),
    );
    const csv = [
      'Användar-id;Personnummer;Förnamn;Efternamn;Enhet;Startdatum;Status',
      ...rows,
    ].join('\n');
    const { res, queries } = await counted('/api/admin/identities/import', {
      headers: { Cookie: cookie, Origin: ORIGIN },
      body: { csv },
    });
    expect(res.status).toBe(200);
    const part = await res.json<{ rows: unknown[]; next: number | null; total: number }>();
    expect(part).toMatchObject({
      next: IDENTITIES_PER_REQUEST,
      total: IDENTITIES_PER_REQUEST * 2 + 7,
    });
    expect(part.rows).toHaveLength(IDENTITIES_PER_REQUEST);
    console.log(
      `import part of ${IDENTITIES_PER_REQUEST} rows, 5 recipients (10 in production): ${queries} D1 queries`,
    );
    expect(queries).toBeLessThan(LIMIT);
  });
});

describe('D1 queries of the daily run', () => {
  it('does not grow with mailboxes long overdue whose last reminder went out', async () => {
    const unit = await unitWith(2);
    const now = Math.floor(Date.now() / 1000);
    // Abandoned mailboxes: overdue for a month, their "due today" mail sent back then.
    for (let i = 0; i < 60; i++) {
      const m = await seedMailbox({ unitId: unit.id, username: `overgiven${i}`, phone: null });
      const changed = now - 120 * 86_400;
      await env.DB.batch([
        env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?').bind(
          changed,
          m.id,
        ),
        env.DB.prepare(
          `INSERT INTO reminders (mailbox_id, threshold, cycle, channel, status, claimed_at)
           VALUES (?, 0, ?, 'mail', 'sent', ?)`,
        ).bind(m.id, changed, now - 30 * 86_400),
      ]);
    }
    const counting = countingEnv();
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: '5 6 * * *', scheduledTime: Date.now() }),
      counting.env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const queries = counting.queries();
    console.log(`daily run with 60 long-overdue mailboxes: ${queries} D1 queries`);
    // The run's own fixed queries only, not two per abandoned mailbox every day forever.
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThan(20);
  });
});
