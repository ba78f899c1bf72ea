// The README's promise, checked end to end: `npm start` brings up the whole app with local D1,
// KV and the demo data, and a client that knows only the documented API v1 can register a
// phone and complete a reset, reading codes from the development outbox. Runs the real
// `wrangler dev` (not the test pool), so start-up errors that only workerd proper reports
// are caught too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../../scripts/local-app.mjs';

let base = '';
let app;

/** A cookie jar of one: the mailbox session. */
let cookie = '';
async function api(method, route, body) {
  const headers = { 'Accept-Language': 'sv' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(`${base}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const setCookie = res.headers.get('set-cookie');
  if (setCookie) cookie = setCookie.split(';')[0];
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('npm start and the API table', { timeout: 180_000 }, () => {
  before(async () => {
    app = await startLocalApp();
    base = app.base;
  });

  after(() => app?.stop());

  it('serves the web page and the API from one origin', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="sv">/);
    // The demo mailboxes keep their passwords in D1: no directory in use.
    assert.deepEqual((await api('GET', '/api/health')).body, { ok: true, directory: 'local' });
    const policy = await api('GET', '/api/policy');
    assert.deepEqual(policy.body, {
      minLength: 8,
      minClasses: 3,
      historyDepth: 24,
      maxAgeDays: 90,
    });
  });

  it('sends the rotation reminders from a scheduled run, and nothing twice on a re-run', async () => {
    // The seed's hemvardsgruppen was changed 95 days ago, so it is overdue; its unit's demo
    // manager gets the last reminder, with a link straight to the mailbox. (Run before the
    // tests below change its password; hemtjanstab, due in 10 days, may get its own.)
    const reminders = async () =>
      (await (await fetch(`${base}/api/dev/outbox`)).json()).filter(
        (m) =>
          m.channel === 'mail' &&
          m.to === 'maria.lind@example.se' &&
          /lösenordet för hemvardsgruppen skulle ha bytts/.test(m.body),
      );
    assert.equal((await reminders()).length, 0);
    const run = await api('POST', '/api/dev/rotation');
    assert.equal(run.status, 200);
    assert.ok(run.body.mailSent >= 1, JSON.stringify(run.body));
    const sent = await reminders();
    assert.equal(sent.length, 1);
    assert.match(sent[0].body, /\/chef\/brevlada\/demo-hemvardsgruppen/);
    assert.equal((await api('POST', '/api/dev/rotation')).body.mailSent, 0);
    assert.equal((await reminders()).length, 1, 'a re-run the same day sends nothing new');
  });

  it('registers a phone for the demo mailbox that has none, after changing its overdue password', async () => {
    const login = await api('POST', '/api/mailbox/session', {
      username: 'hemvardsgruppen',
      password: 'Hemvard#2026',
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.phone, null);
    // Seeded 95 days ago: past its three months, so the password is changed first.
    assert.equal(login.body.mustChange, true);
    const early = await api('PUT', '/api/mailbox/phone', { phone: '070-765 43 21' });
    assert.equal(early.status, 403);
    assert.equal(early.body.error, 'password_change_required');
    const changed = await api('POST', '/api/mailbox/password', {
      currentPassword: 'Hemvard#2026',
      newPassword: 'Hemvard-Nytt-2027',
    });
    assert.equal(changed.status, 204);
    const before = await outboxSnapshot(base);
    const asked = await api('PUT', '/api/mailbox/phone', { phone: '070-765 43 21' });
    assert.equal(asked.status, 202);
    const code = await codeFromOutbox(base, '+46707654321', before);
    const verified = await api('POST', '/api/mailbox/phone/verify', { code });
    assert.deepEqual(verified, { status: 200, body: { phone: '+46707654321' } });
    assert.equal((await api('GET', '/api/mailbox')).body.phone, '+46707654321');
    assert.equal((await api('DELETE', '/api/mailbox/session')).status, 204);
    assert.equal((await api('GET', '/api/mailbox')).status, 401);
  });

  it('resets the password of hemtjanstab with the SMS code and logs in with the new one', async () => {
    const before = await outboxSnapshot(base);
    const start = await api('POST', '/api/resets', { username: 'hemtjanstab' });
    assert.equal(start.status, 202);
    const code = await codeFromOutbox(base, '+46701234567', before);
    const verified = await api('POST', `/api/resets/${start.body.id}/code`, { code });
    assert.equal(verified.status, 200);
    const weak = await api('POST', `/api/resets/${start.body.id}/password`, {
      token: verified.body.token,
      newPassword: 'Brevlada-2026',
    });
    assert.equal(weak.status, 422);
    assert.ok(weak.body.violations.includes('reused'));
    const done = await api('POST', `/api/resets/${start.body.id}/password`, {
      token: verified.body.token,
      newPassword: 'Tr4sig-Kanin-44',
    });
    assert.equal(done.status, 204);
    const login = await api('POST', '/api/mailbox/session', {
      username: 'hemtjanstab',
      password: 'Tr4sig-Kanin-44',
    });
    assert.equal(login.status, 200);
  });

  it('signs in from an internal address but refuses registering a number there', async () => {
    const internal = { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.1.2.3' };
    const session = await fetch(`${base}/api/mailbox/session`, {
      method: 'POST',
      headers: internal,
      body: JSON.stringify({ username: 'hemtjanstab', password: 'Tr4sig-Kanin-44' }),
    });
    assert.equal(session.status, 200);
    const cookie = session.headers.get('set-cookie')?.split(';')[0] ?? '';
    const res = await fetch(`${base}/api/mailbox/phone`, {
      method: 'PUT',
      headers: { ...internal, Cookie: cookie },
      body: JSON.stringify({ phone: '0709876543' }),
    });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error, 'internal_network');
  });
});
