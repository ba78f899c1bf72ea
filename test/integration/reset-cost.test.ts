import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { config } from '../../worker/config';
import { checkHistory, derivationCounter } from '../../worker/domain/password-hash';
import { call, json, seedMailbox, startReset } from '../helpers';

/** Fills a mailbox's history with `depth` earlier passwords, as if it had been reset that often. */
async function fillHistory(mailboxId: string, depth: number) {
  const cfg = config(env);
  const row = await env.DB.prepare('SELECT history_salt FROM mailboxes WHERE id = ?')
    .bind(mailboxId)
    .first<{ history_salt: string }>();
  for (let i = 0; i < depth; i++) {
    const { digest } = await checkHistory(
      `Gammalt-${i}-Pw`,
      row?.history_salt ?? '',
      [],
      cfg.peppers,
    );
    await env.DB.prepare(
      'INSERT INTO password_history (mailbox_id, digest, created_at) VALUES (?, ?, ?)',
    )
      .bind(mailboxId, digest, i)
      .run();
  }
}

describe('the cost of completing a reset', () => {
  it.each([0, 5, 24])('is two PBKDF2 derivations with %i earlier passwords', async (depth) => {
    const mailbox = await seedMailbox();
    await fillHistory(mailbox.id, depth);
    const { id, code } = await startReset(mailbox);
    const { token } = await json<{ token: string }>(
      await call(`/api/resets/${id}/code`, { body: { code } }),
    );
    const before = derivationCounter.count;
    const res = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(res.status).toBe(204);
    expect(derivationCounter.count - before).toBe(2);
  });

  it('still finds an old password at the far end of a 24-deep history', async () => {
    const mailbox = await seedMailbox();
    await fillHistory(mailbox.id, 23);
    const { id, code } = await startReset(mailbox);
    const { token } = await json<{ token: string }>(
      await call(`/api/resets/${id}/code`, { body: { code } }),
    );
    const res = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Gammalt-0-Pw' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'policy', violations: ['reused'] });
  });
});
