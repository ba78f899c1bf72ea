import { createScheduledController, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { call, login, seedMailbox, startReset } from '../helpers';

const DAY = 86_400;

async function count(table: string) {
  return env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<number>('n');
}

async function runCron() {
  await worker.scheduled(createScheduledController({ cron: '17 * * * *' }), env);
}

describe('the hourly cleanup', () => {
  it('removes challenges and sessions that expired more than a day ago, and keeps live ones', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const { id } = await startReset(mailbox);
    const old = Math.floor(Date.now() / 1000) - 2 * DAY;
    await env.DB.batch([
      env.DB.prepare('UPDATE challenges SET created_at = ?, expires_at = ? WHERE id = ?').bind(
        old,
        old + 600,
        id,
      ),
    ]);
    await startReset(mailbox);
    await env.DB.prepare(
      "INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at) VALUES ('gone', 'mailbox', ?, ?, ?)",
    )
      .bind(mailbox.id, old, old + 900)
      .run();

    await runCron();

    expect(await count('challenges')).toBe(1);
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM challenges WHERE id = ?').bind(id).first('n'),
    ).toBe(0);
    expect(await count('sessions')).toBe(1);
    expect((await call('/api/mailbox', { cookie })).status).toBe(200);
  });

  it('removes counters whose window has ended, so budgets do not pile up', async () => {
    const now = Math.floor(Date.now() / 1000);
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO counters (key, window_start, count, expires_at) VALUES ('old', ?, 3, ?)",
      ).bind(now - 7200, now - 3600),
      env.DB.prepare(
        "INSERT INTO counters (key, window_start, count, expires_at) VALUES ('live', ?, 3, ?)",
      ).bind(now - 60, now + 3540),
    ]);
    await runCron();
    const { results } = await env.DB.prepare('SELECT key FROM counters').all<{ key: string }>();
    expect(results.map((r) => r.key)).toEqual(['live']);
  });

  it('can run twice at once without failing', async () => {
    await seedMailbox();
    await Promise.all([runCron(), runCron()]);
    expect(await count('mailboxes')).toBe(1);
  });

  it('removes WebAuthn challenges that expired more than a day ago, and keeps live ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    const insert = (id: string, expiresAt: number) =>
      env.DB.prepare(
        `INSERT INTO webauthn_challenges (id, challenge, purpose, created_at, expires_at)
         VALUES (?, 'c', 'authenticate', ?, ?)`,
      ).bind(id, expiresAt - 300, expiresAt);
    await env.DB.batch([insert('old', now - 2 * DAY), insert('live', now + 300)]);
    await runCron();
    const { results } = await env.DB.prepare('SELECT id FROM webauthn_challenges').all<{
      id: string;
    }>();
    expect(results.map((r) => r.id)).toEqual(['live']);
  });
});
