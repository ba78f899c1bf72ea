import { env, SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('answers health', async () => {
  const res = await SELF.fetch('https://nyckel.test/api/health');
  expect(await res.json()).toEqual({ ok: true });
  const r = await env.DB.prepare('SELECT count(*) AS n FROM mailboxes').first<{ n: number }>();
  expect(r?.n).toBe(0);
});
