import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanupStatements } from '../../worker/db/cleanup';
import {
  Handover,
  HandoverList,
  HandoverPeek,
  HandoverRecipient,
  HandoverReveal,
  StaffChoices,
} from '../../worker/routes/handovers.schemas';
import { ResetOnBehalfResult } from '../../worker/routes/manager.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { seedHandover, seedOffer, seedStaff } from '../handover-helpers';
import {
  auditRows,
  call,
  json,
  login,
  ORIGIN,
  outbox,
  seedMailbox,
  snapshot,
  startReset,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Handing a new mailbox password to staff: whoever set it shares it from the
 * answer's shareOfferId; each recipient gets a personal SMS link that shows the password
 * exactly once within 24 hours; the sealed password goes when no link can show it any more.
 * No token, link, password or full number ever reaches the audit trail.
 */

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const SLOW_TEST_MS = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

function freezeClock(at = T0) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

function moveClock(seconds: number) {
  vi.setSystemTime(Date.now() + seconds * 1000);
}

async function world() {
  const unitA = await seedUnit('Hemtjänst Åby');
  const unitB = await seedUnit('Hemtjänst Berga');
  const manager = await seedPerson({ name: 'Maria Lind', roles: { [unitA.id]: 'manager' } });
  const delegate = await seedPerson({ name: 'Dag Ombud', roles: { [unitA.id]: 'delegate' } });
  const managerB = await seedPerson({ roles: { [unitB.id]: 'manager' } });
  const mailbox = await seedMailbox({ unitId: unitA.id, displayName: 'Hemtjänst Åby' });
  const sara = await seedStaff(unitA.id, { name: 'Sara Ek', phone: '+46701234501' });
  const omar = await seedStaff(unitA.id, { name: 'Omar Berg', phone: '+46701234502' });
  const staffB = await seedStaff(unitB.id, { name: 'Berit B', phone: '+46701234509' });
  return { unitA, unitB, manager, delegate, managerB, mailbox, sara, omar, staffB };
}

const handoversPath = (mailboxId: string) =>
  `/api/manager/mailboxes/${encodeURIComponent(mailboxId)}/handovers`;

/** A reset on behalf with a generated password: the password and the offer to share it. */
async function resetOnBehalf(mailboxId: string, cookie: string) {
  const res = await call(`/api/manager/mailboxes/${mailboxId}/password`, { cookie, body: {} });
  expect(res.status).toBe(200);
  const result = v.parse(ResetOnBehalfResult, await res.json());
  return { password: result.generated ?? '', offer: result.shareOfferId };
}

async function share(mailboxId: string, cookie: string, body: unknown) {
  return call(handoversPath(mailboxId), { cookie, body });
}

/** The link token from the newest SMS to `to` (the part after '#'). */
async function tokenSentTo(to: string): Promise<string> {
  await backgroundSettled();
  const sms = (await outbox()).filter((m) => m.to === to);
  const match = /\/visa#([A-Za-z0-9_-]+)/.exec(sms[0]?.body ?? '');
  if (!match?.[1]) throw new Error(`no link sent to ${to}`);
  return match[1];
}

function peek(token: string, headers?: Record<string, string>) {
  return call('/api/handovers/peek', { body: { token }, ...(headers ? { headers } : {}) });
}

function reveal(token: string, options: { ip?: string; headers?: Record<string, string> } = {}) {
  return call('/api/handovers/reveal', { body: { token }, ...options });
}

async function sealedOf(handoverId: string) {
  const row = await env.DB.prepare('SELECT sealed FROM handovers WHERE id = ?')
    .bind(handoverId)
    .first<{ sealed: string | null }>();
  return row?.sealed ?? null;
}

/** Shares a fresh reset-on-behalf password of the mailbox with its whole staff. */
async function shareAll(w: Awaited<ReturnType<typeof world>>) {
  const cookie = await personCookie(w.manager.id);
  const { password, offer } = await resetOnBehalf(w.mailbox.id, cookie);
  const res = await share(w.mailbox.id, cookie, { shareOfferId: offer });
  expect(res.status).toBe(201);
  const handover = v.parse(Handover, await res.json());
  return { cookie, password, offer, handover };
}

describe('sharing a new password with staff', () => {
  it(
    'sends each staff member a personal link that shows the password once',
    async () => {
      const w = await world();
      const { password, handover } = await shareAll(w);
      expect(handover.recipients.map((r) => [r.name, r.state, r.sms])).toEqual([
        ['Omar Berg', 'ready', 'queued'],
        ['Sara Ek', 'ready', 'queued'],
      ]);
      expect(handover.recipients[1]?.phoneMasked).toBe('070-••• 45 01');

      const token = await tokenSentTo(w.sara.phone);
      expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits in base64url
      const first = await peek(token);
      expect(first.status).toBe(200);
      expect(v.parse(HandoverPeek, await first.json())).toMatchObject({
        username: w.mailbox.username,
        displayName: 'Hemtjänst Åby',
        unitName: 'Hemtjänst Åby',
        state: 'ready',
        viewedAt: null,
      });
      // Peeking spends nothing.
      expect((await peek(token)).status).toBe(200);

      const shown = await reveal(token);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('Cache-Control')).toBe('no-store');
      const revealed = v.parse(HandoverReveal, await shown.json());
      expect(revealed).toMatchObject({ username: w.mailbox.username, password });

      const again = await reveal(token);
      expect(again.status).toBe(410);
      const spent = await json(again);
      expect(spent).toMatchObject({
        error: 'handover_spent',
        state: 'viewed',
        viewedAt: revealed.viewedAt,
      });
      expect(JSON.stringify(spent)).not.toContain(password);
      expect(await json(await peek(token))).toMatchObject({
        state: 'viewed',
        viewedAt: revealed.viewedAt,
      });

      // The other recipient's link is their own and still works.
      const omars = await reveal(await tokenSentTo(w.omar.phone));
      expect((await json(omars)).password).toBe(password);
    },
    SLOW_TEST_MS,
  );

  it('sends an SMS that carries the link on the public origin and never the password', async () => {
    const w = await world();
    const { password } = await shareAll(w);
    await backgroundSettled();
    const sms = (await outbox()).filter((m) => m.to === w.sara.phone);
    expect(sms).toHaveLength(1);
    const body = sms[0]?.body ?? '';
    expect(body).toMatch(new RegExp(`${ORIGIN}/visa#[A-Za-z0-9_-]{43}`));
    expect(body).toContain(w.mailbox.username);
    expect(body).toContain('Maria Lind');
    expect(body).not.toContain(password);
  });

  it('sends only to the people picked', async () => {
    const w = await world();
    const cookie = await personCookie(w.manager.id);
    const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
    const res = await share(w.mailbox.id, cookie, { shareOfferId: offer, staffIds: [w.omar.id] });
    expect(res.status).toBe(201);
    expect(v.parse(Handover, await res.json()).recipients.map((r) => r.staffId)).toEqual([
      w.omar.id,
    ]);
    await backgroundSettled();
    const to = (await outbox()).filter((m) => m.channel === 'sms').map((m) => m.to);
    expect(to).toEqual([w.omar.phone]);
  });

  it('lets a delegate share the password they set', async () => {
    const w = await world();
    const cookie = await personCookie(w.delegate.id);
    const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
    expect((await share(w.mailbox.id, cookie, { shareOfferId: offer })).status).toBe(201);
  });

  it('reveals exactly once under ten parallel opens', async () => {
    const w = await world();
    const { password } = await shareAll(w);
    const token = await tokenSentTo(w.sara.phone);
    const answers = await Promise.all(Array.from({ length: 10 }, () => reveal(token)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410, 410, 410, 410, 410, 410, 410, 410, 410]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(bodies.filter((b) => b.includes(password))).toHaveLength(1);
    const views = (await auditRows()).filter(
      (r) => r.action === 'handover.view' && r.outcome === 'success',
    );
    expect(views).toHaveLength(1);
  });

  it("never shows mailbox B's password through a link for mailbox A", async () => {
    const w = await world();
    const mailboxB = await seedMailbox({ unitId: w.unitA.id, username: 'brevladab' });
    const a = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id, 'Losen-For-A-11');
    const b = await seedHandover(mailboxB.id, w.manager.id, w.omar.id, 'Losen-For-B-22');
    const res = await reveal(a.token);
    const body = await res.text();
    expect(body).toContain('Losen-For-A-11');
    expect(body).toContain(w.mailbox.username);
    expect(body).not.toContain('Losen-For-B-22');
    expect(body).not.toContain('brevladab');
    // Even B's ciphertext copied into A's handover does not open as A's (AES-GCM context).
    const c = await seedHandover(w.mailbox.id, w.manager.id, w.omar.id, 'Losen-For-A-33');
    await env.DB.prepare(
      'UPDATE handovers SET sealed = (SELECT sealed FROM handovers WHERE id = ?) WHERE id = ?',
    )
      .bind(b.handoverId, c.handoverId)
      .run();
    const copied = await reveal(c.token);
    expect(copied.status).toBe(500);
    expect(await copied.text()).not.toContain('Losen-For-B-22');
  });

  it('deletes the sealed password once every recipient has viewed it', async () => {
    const w = await world();
    const { handover } = await shareAll(w);
    expect(await sealedOf(handover.id)).not.toBeNull();
    expect((await reveal(await tokenSentTo(w.sara.phone))).status).toBe(200);
    expect(await sealedOf(handover.id)).not.toBeNull();
    expect((await reveal(await tokenSentTo(w.omar.phone))).status).toBe(200);
    expect(await sealedOf(handover.id)).toBeNull();
  });
});

describe('time', () => {
  it('expires a link after 24 hours and the cleanup deletes the password', async () => {
    freezeClock();
    const w = await world();
    const { handover } = await shareAll(w);
    const token = await tokenSentTo(w.sara.phone);
    moveClock(24 * 3600 - 1);
    expect(await json(await peek(token))).toMatchObject({ state: 'ready' });
    moveClock(1);
    expect(await json(await peek(token))).toMatchObject({ state: 'expired', viewedAt: null });
    const res = await reveal(token);
    expect(res.status).toBe(410);
    expect(await json(res)).toMatchObject({ error: 'handover_spent', state: 'expired' });
    await env.DB.batch(cleanupStatements(env.DB, Math.floor(Date.now() / 1000)));
    expect(await sealedOf(handover.id)).toBeNull();
    const list = await call(handoversPath(w.mailbox.id), {
      cookie: await personCookie(w.manager.id),
    });
    const [entry] = v.parse(HandoverList, await list.json());
    expect(entry?.open).toBe(false);
    expect(entry?.recipients.map((r) => [r.state, r.canResend])).toEqual([
      ['expired', false],
      ['expired', false],
    ]);
  });

  it('lets the offer to share lapse after 15 minutes, and the cleanup removes it', async () => {
    freezeClock();
    const w = await world();
    const cookie = await personCookie(w.manager.id);
    const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
    moveClock(15 * 60);
    const res = await share(w.mailbox.id, await personCookie(w.manager.id), {
      shareOfferId: offer,
    });
    expect(res.status).toBe(410);
    expect((await json(res)).error).toBe('share_unavailable');
    await env.DB.batch(cleanupStatements(env.DB, Math.floor(Date.now() / 1000)));
    expect(await sealedOf(offer)).toBeNull();
    // A day later nothing refers to an offer never shared: its row goes too.
    moveClock(86_400 + 1);
    await env.DB.batch(cleanupStatements(env.DB, Math.floor(Date.now() / 1000)));
    const left = await env.DB.prepare('SELECT count(*) AS n FROM handovers').first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe('retention', () => {
  it('keeps a shared handover listed for 90 days, then removes it and its links', async () => {
    freezeClock();
    const w = await world();
    await shareAll(w);
    const listed = async () => {
      const res = await call(handoversPath(w.mailbox.id), {
        cookie: await personCookie(w.manager.id),
      });
      return v.parse(HandoverList, await res.json()).length;
    };
    const count = async (table: string) =>
      (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;
    moveClock(90 * 86_400 - 60);
    await env.DB.batch(cleanupStatements(env.DB, Math.floor(Date.now() / 1000)));
    expect(await listed()).toBe(1);
    expect(await count('handover_links')).toBe(2);
    moveClock(120);
    await env.DB.batch(cleanupStatements(env.DB, Math.floor(Date.now() / 1000)));
    expect(await listed()).toBe(0);
    expect(await count('handover_links')).toBe(0);
    expect(await count('handovers')).toBe(0);
    // The audit trail still says who shared it.
    expect((await auditRows()).some((r) => r.action === 'handover.share')).toBe(true);
  });
});

describe('the share offer', () => {
  it('can be used once', async () => {
    const w = await world();
    const { cookie, offer } = await shareAll(w);
    const before = await snapshot();
    const again = await share(w.mailbox.id, cookie, { shareOfferId: offer });
    expect(again.status).toBe(410);
    expect((await json(again)).error).toBe('share_unavailable');
    const after = await snapshot();
    expect(after.handover_links).toEqual(before.handover_links);
  });

  it('can be used once even by two parallel shares', async () => {
    const w = await world();
    const cookie = await personCookie(w.manager.id);
    const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => share(w.mailbox.id, cookie, { shareOfferId: offer })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 410, 410, 410]);
    const links = await env.DB.prepare('SELECT count(*) AS n FROM handover_links').first<{
      n: number;
    }>();
    expect(links?.n).toBe(2);
  });

  it('is bound to the person who set the password', async () => {
    const w = await world();
    const { offer } = await resetOnBehalf(w.mailbox.id, await personCookie(w.manager.id));
    const res = await share(w.mailbox.id, await personCookie(w.delegate.id), {
      shareOfferId: offer,
    });
    expect(res.status).toBe(410);
    // Still the setter's to use.
    const own = await share(w.mailbox.id, await personCookie(w.manager.id), {
      shareOfferId: offer,
    });
    expect(own.status).toBe(201);
  });

  it('is bound to its mailbox', async () => {
    const w = await world();
    const other = await seedMailbox({ unitId: w.unitA.id });
    const cookie = await personCookie(w.manager.id);
    const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
    expect((await share(other.id, cookie, { shareOfferId: offer })).status).toBe(410);
  });

  it('ends, with every unopened link, when the password is set again', async () => {
    const w = await world();
    const { cookie, handover } = await shareAll(w);
    const token = await tokenSentTo(w.sara.phone);
    const { offer: second } = await resetOnBehalf(w.mailbox.id, cookie);
    const res = await reveal(token);
    expect(res.status).toBe(410);
    expect(await json(res)).toMatchObject({ state: 'revoked' });
    expect(await sealedOf(handover.id)).toBeNull();
    expect(await sealedOf(second)).not.toBeNull();
  });

  it('ends when the staff change the password themselves', async () => {
    const w = await world();
    const cookie = await personCookie(w.manager.id);
    const { password, offer } = await resetOnBehalf(w.mailbox.id, cookie);
    const session = await login({ ...w.mailbox, password });
    const changed = await call('/api/mailbox/password', {
      cookie: session,
      body: { currentPassword: password, newPassword: 'Egen-Kanel-Vag-91' },
    });
    expect(changed.status).toBe(204);
    expect((await share(w.mailbox.id, cookie, { shareOfferId: offer })).status).toBe(410);
  });
});

describe('bad input to sharing', () => {
  const cases: [string, (w: Awaited<ReturnType<typeof world>>, offer: string) => unknown][] = [
    ['no offer', () => ({})],
    ['an offer id of the wrong type', () => ({ shareOfferId: 12 })],
    ['an offer id with odd characters', () => ({ shareOfferId: "x' OR 1=1 --" })],
    ['an empty recipient list', (_w, offer) => ({ shareOfferId: offer, staffIds: [] })],
    [
      'a recipient twice',
      (w, offer) => ({ shareOfferId: offer, staffIds: [w.sara.id, w.sara.id] }),
    ],
    ['an unknown recipient', (_w, offer) => ({ shareOfferId: offer, staffIds: ['okand'] })],
    [
      "another unit's staff member",
      (w, offer) => ({ shareOfferId: offer, staffIds: [w.sara.id, w.staffB.id] }),
    ],
    ['recipients as a string', (w, offer) => ({ shareOfferId: offer, staffIds: w.sara.id })],
    ['an unknown field', (_w, offer) => ({ shareOfferId: offer, password: 'Mitt-Eget-1' })],
  ];

  it.each(cases)(
    'refuses %s with 400, writes nothing, and keeps the offer usable',
    async (_l, body) => {
      const w = await world();
      const cookie = await personCookie(w.manager.id);
      const { offer } = await resetOnBehalf(w.mailbox.id, cookie);
      const before = await snapshot();
      const res = await share(w.mailbox.id, cookie, body(w, offer));
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
      expect(await snapshot()).toEqual(before);
      expect((await share(w.mailbox.id, cookie, { shareOfferId: offer })).status).toBe(201);
    },
  );

  it('refuses a body that is not JSON', async () => {
    const w = await world();
    const cookie = await personCookie(w.manager.id);
    const before = await snapshot();
    const res = await call(handoversPath(w.mailbox.id), { cookie, raw: '{"shareOfferId":' });
    expect(res.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('says so when the unit has no staff to share with', async () => {
    const w = await world();
    const empty = await seedUnit('Tom enhet');
    const lone = await seedMailbox({ unitId: empty.id });
    const admin = await seedPerson({ isAdmin: true });
    const cookie = await personCookie(admin.id);
    const { offer } = await resetOnBehalf(lone.id, cookie);
    const res = await share(lone.id, cookie, { shareOfferId: offer });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await json(res))).toContain('no staff');
    expect(w.unitA.id).not.toBe(empty.id);
  });

  it('needs a fresh sign-in to share', async () => {
    const w = await world();
    const offer = await seedOffer(w.mailbox.id, w.manager.id);
    const stale = await personCookie(w.manager.id, { verifiedAgoSeconds: 11 * 60 });
    const res = await share(w.mailbox.id, stale, { shareOfferId: offer });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('step_up_required');
  });
});

describe('the SMS budget', () => {
  async function spend(key: string, count: number, windowSeconds: number) {
    const now = Math.floor(Date.now() / 1000);
    const start = now - (now % windowSeconds);
    await env.DB.prepare(
      'INSERT INTO counters (key, window_start, count, expires_at) VALUES (?, ?, ?, ?)',
    )
      .bind(key, start, count, start + windowSeconds)
      .run();
  }

  it('reports a refused number per recipient and still sends to the others', async () => {
    const w = await world();
    await spend(`sms:number:${w.sara.phone}`, 5, 3600);
    const { handover } = await shareAll(w);
    const sara = handover.recipients.find((r) => r.staffId === w.sara.id);
    const omar = handover.recipients.find((r) => r.staffId === w.omar.id);
    expect(sara).toMatchObject({ sms: 'refused' });
    expect((sara as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
    expect(omar).toMatchObject({ sms: 'queued' });
    await backgroundSettled();
    const to = (await outbox()).filter((m) => m.channel === 'sms').map((m) => m.to);
    expect(to).toEqual([w.omar.phone]);
    const list = v.parse(
      HandoverList,
      await (
        await call(handoversPath(w.mailbox.id), { cookie: await personCookie(w.manager.id) })
      ).json(),
    );
    expect(list[0]?.recipients.map((r) => [r.name, r.sms])).toEqual([
      ['Omar Berg', 'sent'],
      ['Sara Ek', 'refused'],
    ]);
  });

  it('refuses everyone, without a 500, when the day’s ceiling is spent', async () => {
    const w = await world();
    await spend('sms:day', 2000, 86_400);
    const { handover } = await shareAll(w);
    expect(handover.recipients.map((r) => r.sms)).toEqual(['refused', 'refused']);
    await backgroundSettled();
    expect((await outbox()).filter((m) => m.channel === 'sms')).toEqual([]);
  });
});

describe('the mailbox view of handovers', () => {
  it('shows per recipient sent, viewed with time, and revoked', async () => {
    const w = await world();
    const { cookie } = await shareAll(w);
    await reveal(await tokenSentTo(w.sara.phone));
    await call(`/api/manager/units/${w.unitA.id}/staff/${w.omar.id}`, { method: 'DELETE', cookie });
    const res = await call(handoversPath(w.mailbox.id), { cookie });
    expect(res.status).toBe(200);
    const [entry] = v.parse(HandoverList, await res.json());
    expect(entry?.sharedBy).toBe('Maria Lind');
    expect(entry?.open).toBe(false);
    const byName = new Map(entry?.recipients.map((r) => [r.name, r]));
    expect(byName.get('Sara Ek')).toMatchObject({ state: 'viewed', sms: 'sent' });
    expect(byName.get('Sara Ek')?.viewedAt).not.toBeNull();
    expect(byName.get('Sara Ek')?.sentAt).not.toBeNull();
    expect(byName.get('Omar Berg')).toMatchObject({ state: 'revoked', canResend: false });
    expect(JSON.stringify(entry)).not.toContain(w.sara.phone);
  });

  it('answers 404 to a manager of another unit, on every handover route', async () => {
    const w = await world();
    const link = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id);
    const offer = await seedOffer(w.mailbox.id, w.managerB.id);
    const cookie = await personCookie(w.managerB.id);
    const before = await snapshot();
    const answers = [
      await call(handoversPath(w.mailbox.id), { cookie }),
      await share(w.mailbox.id, cookie, { shareOfferId: offer }),
      await call(`${handoversPath(w.mailbox.id)}/${link.handoverId}/links/${link.linkId}/resend`, {
        cookie,
        body: {},
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('sending a fresh link', () => {
  const resendPath = (mailboxId: string, handoverId: string, linkId: string) =>
    `${handoversPath(mailboxId)}/${handoverId}/links/${linkId}/resend`;

  it('replaces the old link with a new one for the same person', async () => {
    const w = await world();
    const { cookie, password, handover } = await shareAll(w);
    const old = await tokenSentTo(w.sara.phone);
    const link = handover.recipients.find((r) => r.staffId === w.sara.id);
    const res = await call(resendPath(w.mailbox.id, handover.id, link?.linkId ?? ''), {
      cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    const fresh = v.parse(HandoverRecipient, await res.json());
    expect(fresh.linkId).not.toBe(link?.linkId);
    const token = await tokenSentTo(w.sara.phone);
    expect(token).not.toBe(old);
    expect(await json(await reveal(old))).toMatchObject({ state: 'revoked' });
    expect((await json(await reveal(token))).password).toBe(password);
    const [entry] = v.parse(
      HandoverList,
      await (await call(handoversPath(w.mailbox.id), { cookie })).json(),
    );
    expect(entry?.recipients.filter((r) => r.staffId === w.sara.id)).toHaveLength(1);
  });

  it("sends a fresh link to a person's new number after their number changed", async () => {
    const w = await world();
    const { cookie, password, handover } = await shareAll(w);
    const old = await tokenSentTo(w.sara.phone);
    const changed = await call(`/api/manager/units/${w.unitA.id}/staff/${w.sara.id}`, {
      method: 'PATCH',
      cookie,
      body: { phone: '070-123 45 77' },
    });
    expect(changed.status).toBe(200);
    expect(await json(await reveal(old))).toMatchObject({ state: 'revoked' });
    const link = handover.recipients.find((r) => r.staffId === w.sara.id);
    const res = await call(resendPath(w.mailbox.id, handover.id, link?.linkId ?? ''), {
      cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    expect((await json(await reveal(await tokenSentTo('+46701234577')))).password).toBe(password);
    // Replaced once, a link cannot be replaced again.
    const again = await call(resendPath(w.mailbox.id, handover.id, link?.linkId ?? ''), {
      cookie,
      body: {},
    });
    expect(again.status).toBe(409);
  });

  it('never leaves a live link to someone removed while a fresh link was on its way', async () => {
    const rounds = [];
    for (let i = 0; i < 4; i++) {
      const w = await world();
      // A number of its own per round, so the per-number SMS budget plays no part.
      await env.DB.prepare('UPDATE staff SET phone = ? WHERE id = ?')
        .bind(`+4670123460${i}`, w.sara.id)
        .run();
      const { cookie, handover } = await shareAll(w);
      const link = handover.recipients.find((r) => r.staffId === w.sara.id);
      rounds.push({ w, cookie, handoverId: handover.id, linkId: link?.linkId ?? '' });
    }
    const answers = await Promise.all(
      rounds.map(async (r) => {
        const [resent, removed] = await Promise.all([
          call(resendPath(r.w.mailbox.id, r.handoverId, r.linkId), { cookie: r.cookie, body: {} }),
          call(`/api/manager/units/${r.w.unitA.id}/staff/${r.w.sara.id}`, {
            method: 'DELETE',
            cookie: r.cookie,
          }),
        ]);
        return { r, resent: resent.status, removed: removed.status };
      }),
    );
    for (const { r, resent, removed } of answers) {
      expect(removed).toBe(204);
      // Resent first (then revoked by the removal), or refused after it: 409.
      expect([200, 409]).toContain(resent);
      const live = await env.DB.prepare(
        `SELECT COUNT(*) AS n FROM handover_links
          WHERE staff_id = ? AND viewed_at IS NULL AND revoked_at IS NULL`,
      )
        .bind(r.w.sara.id)
        .first<{ n: number }>();
      expect(live?.n).toBe(0);
    }
  });

  it('refuses a link that was viewed, with 409', async () => {
    const w = await world();
    const link = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id);
    await reveal(link.token);
    const res = await call(resendPath(w.mailbox.id, link.handoverId, link.linkId), {
      cookie: await personCookie(w.manager.id),
      body: {},
    });
    expect(res.status).toBe(409);
  });

  it('refuses once the 24 hours are over', async () => {
    freezeClock();
    const w = await world();
    const link = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id);
    moveClock(24 * 3600);
    const res = await call(resendPath(w.mailbox.id, link.handoverId, link.linkId), {
      cookie: await personCookie(w.manager.id),
      body: {},
    });
    expect(res.status).toBe(410);
    expect((await json(res)).error).toBe('share_unavailable');
  });

  it('answers 404 for a link of another mailbox and 400 for a body', async () => {
    const w = await world();
    const other = await seedMailbox({ unitId: w.unitA.id });
    const link = await seedHandover(other.id, w.manager.id, w.sara.id);
    const cookie = await personCookie(w.manager.id);
    const before = await snapshot();
    const wrong = await call(resendPath(w.mailbox.id, link.handoverId, link.linkId), {
      cookie,
      body: {},
    });
    expect(wrong.status).toBe(404);
    const withBody = await call(resendPath(other.id, link.handoverId, link.linkId), {
      cookie,
      body: { phone: '0701234599' },
    });
    expect(withBody.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the public link routes', () => {
  it.each([
    ['no token', {}],
    ['a short token', { token: 'abc' }],
    ['a token with odd characters', { token: `${'a'.repeat(30)}/..` }],
    ['a number', { token: 12 }],
    ['an unknown field', { token: 'a'.repeat(43), mailbox: 'x' }],
  ])('refuses %s with 400', async (_label, body) => {
    for (const path of ['/api/handovers/peek', '/api/handovers/reveal']) {
      const res = await call(path, { body });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
  });

  it('answers 404 to an unknown token and throttles an address that keeps guessing', async () => {
    const w = await world();
    const link = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id);
    const guess = (i: number) => `${'g'.repeat(40)}${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 20; i++) {
      const res = await peek(guess(i));
      expect(res.status).toBe(404);
      expect((await json(res)).error).toBe('handover_invalid');
    }
    const limited = await reveal(guess(99));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).not.toBeNull();
    // The throttle is per address: the staff member's own phone is elsewhere.
    expect((await reveal(link.token, { ip: '203.0.113.9' })).status).toBe(200);
  });

  it('refuses a reveal from another site', async () => {
    const w = await world();
    const link = await seedHandover(w.mailbox.id, w.manager.id, w.sara.id);
    const res = await reveal(link.token, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await peek(link.token)).status).toBe(200);
    expect(await json(await peek(link.token))).toMatchObject({ state: 'ready' });
  });
});

describe('secrets stay out of the trail', () => {
  it(
    'keeps tokens, links, passwords and full numbers out of audit and delivery records',
    async () => {
      const w = await world();
      const { cookie, password, handover } = await shareAll(w);
      const tokens = [await tokenSentTo(w.sara.phone), await tokenSentTo(w.omar.phone)];
      await reveal(tokens[0] ?? '');
      await reveal(tokens[0] ?? '');
      const omar = handover.recipients.find((r) => r.staffId === w.omar.id);
      await call(`${handoversPath(w.mailbox.id)}/${handover.id}/links/${omar?.linkId}/resend`, {
        cookie,
        body: {},
      });
      tokens.push(await tokenSentTo(w.omar.phone));
      await backgroundSettled();
      const actions = (await auditRows()).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'mailbox.password.on_behalf',
          'handover.share',
          'handover.sms',
          'handover.view',
          'handover.resend',
        ]),
      );
      for (const table of ['audit', 'deliveries', 'handovers', 'handover_links']) {
        const text = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results);
        expect(text, table).not.toContain(password);
        for (const token of tokens) expect(text, table).not.toContain(token);
        expect(text, table).not.toContain('/visa');
        if (table !== 'handovers' && table !== 'handover_links') {
          expect(text, table).not.toContain(w.sara.phone);
          expect(text, table).not.toContain(w.omar.phone);
        }
      }
    },
    SLOW_TEST_MS,
  );
});

describe("sharing from the mailbox's own flows", () => {
  const NEW_PASSWORD = 'Egen-Kanel-Vag-91';

  async function resetByCode(mailbox: Awaited<ReturnType<typeof seedMailbox>>) {
    const { id, code } = await startReset(mailbox);
    const verified = await call(`/api/resets/${id}/code`, { body: { code } });
    const { token } = await json<{ token: string }>(verified);
    const done = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: NEW_PASSWORD },
    });
    expect(done.status).toBe(204);
    return { id, token };
  }

  it(
    'lets the session that changed the password share it, once, without naming anyone',
    async () => {
      const w = await world();
      const session = await login(w.mailbox);
      const changed = await call('/api/mailbox/password', {
        cookie: session,
        body: { currentPassword: w.mailbox.password, newPassword: NEW_PASSWORD },
      });
      expect(changed.status).toBe(204);
      const staff = await call('/api/mailbox/staff', { cookie: session });
      expect(v.parse(StaffChoices, await staff.json())).toEqual([
        { id: w.omar.id, name: 'Omar Berg', phoneMasked: '070-••• 45 02' },
        { id: w.sara.id, name: 'Sara Ek', phoneMasked: '070-••• 45 01' },
      ]);
      const res = await call('/api/mailbox/handovers', {
        cookie: session,
        body: { staffIds: [w.sara.id] },
      });
      expect(res.status).toBe(201);
      expect(v.parse(Handover, await res.json()).sharedBy).toBeNull();
      await backgroundSettled();
      const [sms] = (await outbox()).filter((m) => m.to === w.sara.phone);
      expect(sms?.body).toContain('Någon i ert arbetslag');
      expect(sms?.body).not.toContain(NEW_PASSWORD);
      expect((await json(await reveal(await tokenSentTo(w.sara.phone)))).password).toBe(
        NEW_PASSWORD,
      );
      const again = await call('/api/mailbox/handovers', { cookie: session, body: {} });
      expect(again.status).toBe(410);
      const entry = (await auditRows()).find(
        (r) => r.action === 'handover.share' && r.outcome === 'success',
      );
      expect(entry?.actor).toBe(`mailbox:${w.mailbox.id}`);
    },
    SLOW_TEST_MS,
  );

  it(
    'does not let another session of the mailbox share it',
    async () => {
      const w = await world();
      const session = await login(w.mailbox);
      await call('/api/mailbox/password', {
        cookie: session,
        body: { currentPassword: w.mailbox.password, newPassword: NEW_PASSWORD },
      });
      const other = await login({ ...w.mailbox, password: NEW_PASSWORD });
      const res = await call('/api/mailbox/handovers', { cookie: other, body: {} });
      expect(res.status).toBe(410);
      expect((await json(res)).error).toBe('share_unavailable');
      expect((await call('/api/mailbox/handovers', { cookie: session, body: {} })).status).toBe(
        201,
      );
    },
    SLOW_TEST_MS,
  );

  it('refuses a session share with bad input, without a session, or with nothing set', async () => {
    const w = await world();
    const session = await login(w.mailbox);
    const before = await snapshot();
    for (const body of [{ staffIds: [] }, { staffIds: ['okand'] }, { shareOfferId: 'x' }, []]) {
      const res = await call('/api/mailbox/handovers', { cookie: session, body });
      expect(res.status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
    expect((await call('/api/mailbox/handovers', { body: {} })).status).toBe(401);
    expect((await call('/api/mailbox/staff')).status).toBe(401);
    expect((await call('/api/mailbox/handovers', { cookie: session, body: {} })).status).toBe(410);
  });

  it(
    'lets whoever completed a reset share the new password with the same token',
    async () => {
      const w = await world();
      const { id, token } = await resetByCode(w.mailbox);
      const staff = await call(`/api/resets/${id}/staff`, { body: { token } });
      expect(staff.status).toBe(200);
      expect(v.parse(StaffChoices, await staff.json()).map((s) => s.name)).toEqual([
        'Omar Berg',
        'Sara Ek',
      ]);
      const res = await call(`/api/resets/${id}/handovers`, { body: { token } });
      expect(res.status).toBe(201);
      expect(v.parse(Handover, await res.json()).recipients).toHaveLength(2);
      expect((await json(await reveal(await tokenSentTo(w.omar.phone)))).password).toBe(
        NEW_PASSWORD,
      );
      expect((await call(`/api/resets/${id}/handovers`, { body: { token } })).status).toBe(410);
    },
    SLOW_TEST_MS,
  );

  it(
    'refuses a reset share with a wrong token or bad input, writing nothing',
    async () => {
      const w = await world();
      const { id, token } = await resetByCode(w.mailbox);
      const before = await snapshot();
      const wrong = await call(`/api/resets/${id}/handovers`, { body: { token: `${token}x` } });
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error).toBe('invalid_token');
      expect((await call(`/api/resets/${id}/staff`, { body: { token: 'x' } })).status).toBe(401);
      expect((await call('/api/resets/okand/staff', { body: { token } })).status).toBe(401);
      for (const body of [{}, { token, staffIds: [] }, { token, staffIds: [w.staffB.id] }]) {
        expect((await call(`/api/resets/${id}/handovers`, { body })).status).toBe(400);
      }
      expect(await snapshot()).toEqual(before);
    },
    SLOW_TEST_MS,
  );

  it(
    "shows the unit's staff only while there is a password to share",
    async () => {
      const w = await world();
      // A session that has set nothing sees no staff list.
      const session = await login(w.mailbox);
      const idle = await call('/api/mailbox/staff', { cookie: session });
      expect(idle.status).toBe(410);
      expect((await json(idle)).error).toBe('share_unavailable');
      await call('/api/mailbox/password', {
        cookie: session,
        body: { currentPassword: w.mailbox.password, newPassword: NEW_PASSWORD },
      });
      expect((await call('/api/mailbox/staff', { cookie: session })).status).toBe(200);
      expect((await call('/api/mailbox/handovers', { cookie: session, body: {} })).status).toBe(
        201,
      );
      expect((await call('/api/mailbox/staff', { cookie: session })).status).toBe(410);

      // A reset's token lists the staff for the 15 minutes of its offer, not for as long as
      // the token lies in a browser's storage.
      const other = await seedMailbox({ unitId: w.unitA.id, phone: '+46701112299' });
      const { id, token } = await resetByCode(other);
      expect((await call(`/api/resets/${id}/staff`, { body: { token } })).status).toBe(200);
      await env.DB.prepare('UPDATE handovers SET offer_expires_at = ? WHERE mailbox_id = ?')
        .bind(Math.floor(Date.now() / 1000) - 1, other.id)
        .run();
      const late = await call(`/api/resets/${id}/staff`, { body: { token } });
      expect(late.status).toBe(410);
      expect(JSON.stringify(await json(late))).not.toContain('Sara');
    },
    SLOW_TEST_MS,
  );

  it(
    'does not offer a reset that was only verified, not completed',
    async () => {
      const w = await world();
      const { id, code } = await startReset(w.mailbox);
      const { token } = await json<{ token: string }>(
        await call(`/api/resets/${id}/code`, { body: { code } }),
      );
      expect((await call(`/api/resets/${id}/handovers`, { body: { token } })).status).toBe(401);
    },
    SLOW_TEST_MS,
  );
});
