import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { backgroundSettled } from '../../worker/services/deps';
import { auditRows, call, json, outbox } from '../helpers';
import { personCookie, seedPerson } from '../people-helpers';
import { connectorKeys } from '../webhook-helpers';

/*
 * Changing where the webhook goes, whether it carries new passwords (writeback) or the key
 * they are encrypted to needs a fresh sign-in; every other administrator is e-mailed, and the
 * audit entry shows the receiver, writeback and the key's thumbprint before and after. One
 * administrator cannot quietly point writeback at a receiver and a key of their own.
 */

const RECEIVER = 'https://connector.example.se/nyckel?token=receiver-side-token';
const ATTACKER = 'https://evil.example.net/hook?token=attacker-side';

async function world() {
  const actor = await seedPerson({ isAdmin: true, name: 'Mallory Admin' });
  const colleague = await seedPerson({ isAdmin: true, email: 'kollega@example.se' });
  const another = await seedPerson({ isAdmin: true, email: 'annan.admin@example.se' });
  await seedPerson({ isAdmin: true, email: 'avstangd@example.se', disabled: true });
  await seedPerson({ email: 'inte.admin@example.se' });
  return { actor, colleague, another, cookie: await personCookie(actor.id) };
}

function put(cookie: string, body: unknown) {
  return call('/api/admin/webhook', { method: 'PUT', body, cookie });
}

/** Forgets the mails sent so far, once the background sends have finished. */
async function clearMails() {
  await backgroundSettled();
  await env.DB.prepare("DELETE FROM outbox WHERE channel = 'mail'").run();
}

async function mails() {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.channel === 'mail');
}

describe('a webhook or writeback change', () => {
  it('e-mails every other administrator with the receiver and key before and after', async () => {
    const w = await world();
    const first = await connectorKeys();
    const second = await connectorKeys();
    const set = await put(w.cookie, { url: RECEIVER, writeback: true, publicKey: first.publicJwk });
    expect(set.status).toBe(200);
    const firstPrint = (await json<{ publicKeyFingerprint: string }>(set)).publicKeyFingerprint;
    await clearMails();

    const moved = await put(w.cookie, {
      url: ATTACKER,
      writeback: true,
      publicKey: second.publicJwk,
    });
    expect(moved.status).toBe(200);
    const secondPrint = (await json<{ publicKeyFingerprint: string }>(moved)).publicKeyFingerprint;

    const sent = await mails();
    expect(sent.map((m) => m.to).sort()).toEqual(['annan.admin@example.se', 'kollega@example.se']);
    const body = sent[0]?.body ?? '';
    expect(body).toContain('Mallory Admin');
    expect(body).toContain('https://connector.example.se/nyckel');
    expect(body).toContain('https://evil.example.net/hook');
    expect(body).toContain(firstPrint);
    expect(body).toContain(secondPrint);
    expect(body).toContain('https://nyckel.test/admin/webhook');
    // Origin and path only: a token in the query stays out of mails, as out of the log.
    expect(body).not.toContain('receiver-side-token');
    expect(body).not.toContain('attacker-side');
    expect(body).not.toContain(second.publicJwk.n?.slice(0, 40));
    expect(body).toMatch(/^Nyckel: webhooken ändrades av Mallory Admin/);
  });

  it('audits the old and new receiver, writeback and key thumbprint', async () => {
    const w = await world();
    const first = await connectorKeys();
    const second = await connectorKeys();
    const a = await json<{ publicKeyFingerprint: string }>(
      await put(w.cookie, { url: RECEIVER, writeback: true, publicKey: first.publicJwk }),
    );
    const b = await json<{ publicKeyFingerprint: string }>(
      await put(w.cookie, { url: ATTACKER, writeback: true, publicKey: second.publicJwk }),
    );
    const entries = (await auditRows()).filter((r) => r.action === 'webhook.update');
    const last = entries.map((e) => JSON.parse(e.detail ?? '{}')).at(-1);
    expect(last).toEqual({
      url: 'https://evil.example.net/hook',
      previousUrl: 'https://connector.example.se/nyckel',
      source: 'settings',
      writeback: true,
      previousWriteback: true,
      publicKey: b.publicKeyFingerprint,
      previousPublicKey: a.publicKeyFingerprint,
    });
    expect(a.publicKeyFingerprint).not.toBe(b.publicKeyFingerprint);
  });

  it('tells the others when writeback alone is turned on', async () => {
    const w = await world();
    const keys = await connectorKeys();
    await put(w.cookie, { url: RECEIVER, writeback: false, publicKey: keys.publicJwk });
    await clearMails();
    await put(w.cookie, { url: RECEIVER, writeback: true });
    const sent = await mails();
    expect(sent).toHaveLength(2);
    expect(sent[0]?.body).toMatch(/writeback\): av[\s\S]*writeback\): på/);
  });

  it('sends nothing when the same settings are saved again', async () => {
    const w = await world();
    await put(w.cookie, { url: RECEIVER, writeback: false, publicKey: null });
    await clearMails();
    expect((await put(w.cookie, { url: RECEIVER, writeback: false, publicKey: null })).status).toBe(
      200,
    );
    expect(await mails()).toEqual([]);
  });

  it('needs a fresh sign-in, and then neither saves, audits nor e-mails', async () => {
    const w = await world();
    const stale = await personCookie(w.actor.id, { verifiedAgoSeconds: 11 * 60 });
    const keys = await connectorKeys();
    const res = await put(stale, { url: ATTACKER, writeback: true, publicKey: keys.publicJwk });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('step_up_required');
    const settings = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'webhook.%'",
    ).first('n');
    expect(settings).toBe(0);
    expect((await auditRows()).filter((r) => r.action === 'webhook.update')).toEqual([]);
    expect(await mails()).toEqual([]);
  });
});
