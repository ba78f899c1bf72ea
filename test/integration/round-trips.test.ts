import { afterAll, describe, expect, it } from 'vitest';
import { type CallCount, countedFetch } from '../binding-calls';
import {
  buildRequest,
  type CallOptions,
  json,
  login,
  type SeededMailbox,
  seedMailbox,
  startReset,
  wrongCode,
} from '../helpers';

/*
 * What a person waits for on the edge is the number of D1 and KV calls made before the answer,
 * each a round trip from the PoP to the database (tens of milliseconds from the north of
 * Sweden), not the local time. Each row below is a user-facing request and the most calls it
 * may make before its answer; work after the answer (waitUntil) is reported, not limited.
 */

interface Row {
  request: string;
  before: CallCount;
  after: CallCount;
}

const measured: Row[] = [];

afterAll(() => {
  console.log(
    [
      'request | D1 before | KV before | D1 after | KV after',
      ...measured.map(
        (r) => `${r.request} | ${r.before.d1} | ${r.before.kv} | ${r.after.d1} | ${r.after.kv}`,
      ),
    ].join('\n'),
  );
});

/** Sends `path` with counted bindings, checks its status and records its calls. */
async function counted(request: string, path: string, options: CallOptions, status: number) {
  const result = await countedFetch(buildRequest(path, options));
  expect(result.res.status, `${request}: ${await result.res.clone().text()}`).toBe(status);
  measured.push({ request, before: result.before, after: result.after });
  return result;
}

let seq = 0;
async function mailbox(): Promise<SeededMailbox> {
  seq++;
  return seedMailbox({ username: `runda${seq}`, phone: `+4670111${String(2000 + seq)}` });
}

describe('D1 and KV calls before the answer', () => {
  it('POST /api/resets, known name', async () => {
    const m = await mailbox();
    const { before } = await counted(
      'POST /api/resets (known)',
      '/api/resets',
      { body: { username: m.username } },
      202,
    );
    expect(before.d1).toBeLessThanOrEqual(2);
    expect(before.kv).toBeLessThanOrEqual(1);
  });

  it('POST /api/resets, unknown name: the same calls as a known one', async () => {
    const m = await mailbox();
    const known = await counted(
      'POST /api/resets (known, again)',
      '/api/resets',
      { body: { username: m.username } },
      202,
    );
    const unknown = await counted(
      'POST /api/resets (unknown)',
      '/api/resets',
      { body: { username: 'finns-inte-alls' } },
      202,
    );
    expect(unknown.before).toEqual(known.before);
  });

  it('POST /api/resets/{id}/code, right and wrong', async () => {
    const m = await mailbox();
    const { id, code } = await startReset(m);
    const wrong = await counted(
      'POST /api/resets/{id}/code (wrong)',
      `/api/resets/${id}/code`,
      { body: { code: wrongCode(code ?? '') } },
      400,
    );
    expect(wrong.before.d1).toBeLessThanOrEqual(2);
    const right = await counted(
      'POST /api/resets/{id}/code',
      `/api/resets/${id}/code`,
      { body: { code } },
      200,
    );
    expect(right.before.d1).toBeLessThanOrEqual(2);
    expect(right.before.kv).toBeLessThanOrEqual(1);
  });

  it('POST /api/resets/{id}/password', async () => {
    const m = await mailbox();
    const { id, code } = await startReset(m);
    const verified = await countedFetch(buildRequest(`/api/resets/${id}/code`, { body: { code } }));
    const { token } = await json<{ token: string }>(verified.res);
    const { before } = await counted(
      'POST /api/resets/{id}/password',
      `/api/resets/${id}/password`,
      { body: { token, newPassword: 'Tr4sig-Kanin-44' } },
      204,
    );
    expect(before.d1).toBeLessThanOrEqual(2);
    expect(before.kv).toBe(0);
  });

  it('POST /api/mailbox/session, right and wrong password', async () => {
    const m = await mailbox();
    const wrong = await counted(
      'POST /api/mailbox/session (wrong password)',
      '/api/mailbox/session',
      { body: { username: m.username, password: 'Fel-Fel-Fel-1' } },
      401,
    );
    expect(wrong.before.d1).toBeLessThanOrEqual(2);
    const right = await counted(
      'POST /api/mailbox/session',
      '/api/mailbox/session',
      { body: { username: m.username, password: m.password } },
      200,
    );
    expect(right.before.d1).toBeLessThanOrEqual(2);
    expect(right.before.kv).toBe(0);
  });

  it('GET /api/mailbox and POST /api/mailbox/password', async () => {
    const m = await mailbox();
    const cookie = await login(m);
    const view = await counted('GET /api/mailbox', '/api/mailbox', { cookie }, 200);
    expect(view.before.d1).toBeLessThanOrEqual(2);
    const change = await counted(
      'POST /api/mailbox/password',
      '/api/mailbox/password',
      { cookie, body: { currentPassword: m.password, newPassword: 'Tr4sig-Kanin-44' } },
      204,
    );
    expect(change.before.d1).toBeLessThanOrEqual(8);
    expect(change.before.kv).toBe(0);
  });
});
