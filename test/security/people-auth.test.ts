import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64Url } from '../../worker/domain/bytes';
import { auditRows, call, json, snapshot } from '../helpers';
import {
  callApp,
  codeAt,
  enrolPasskey,
  enrolTotp,
  passkeyCreation,
  passkeyRequest,
  SoftAuthenticator,
} from '../people-auth-helpers';
import { personCookie, seedInvite, seedPerson } from '../people-helpers';

/*
 * People's sign-in under attack: replayed and forged WebAuthn responses, replayed and
 * guessed TOTP codes, e-mail enumeration, forged or unsuitable client certificates, malformed
 * bodies and cross-site requests. Every refusal is 401 sign_in_failed (or the throttle's
 * 423/429; a refused card says its own reason), writes no session and is audited without the
 * secret that was tried.
 */

const T0 = Date.UTC(2026, 4, 4, 8, 0, 10);
const ISSUER = 'CN=SITHS e-id Person HSA-id 3 CA v1,O=Inera AB,C=SE';
const HSA_ID = 'SE2321000016-1234';
const WITH_CARD = { CLIENT_CERT_ISSUERS: ISSUER };

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

async function sessionCount() {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM sessions WHERE kind = 'person' AND revoked_at IS NULL",
  ).first<{ n: number }>();
  return row?.n ?? 0;
}

async function lastAudit() {
  const [entry] = (await auditRows()).slice(-1);
  return { ...entry, detail: JSON.parse(entry?.detail ?? '{}') };
}

async function expectSignInFailed(res: Response) {
  expect(res.status).toBe(401);
  const body = await json(res);
  expect(body.error).toBe('sign_in_failed');
  expect(res.headers.get('Set-Cookie')).toBeNull();
}

/** A refused card: 401, the reason's own code and text, no cookie, nothing about anyone. */
async function expectCardRefused(res: Response, code: string) {
  expect(res.status).toBe(401);
  const body = await json(res);
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(Object.keys(body).sort()).toEqual(['error', 'message']);
  expect(JSON.stringify(body)).not.toContain(HSA_ID);
  expect(res.headers.get('Set-Cookie')).toBeNull();
}

async function enrolledWithPasskey(options: Parameters<typeof seedPerson>[0] = {}) {
  const person = await seedPerson(options);
  const enrolled = await enrolPasskey(await seedInvite(person.id));
  expect(enrolled.res.status).toBe(200);
  return { person, ...enrolled };
}

async function enrolledWithTotp(options: Parameters<typeof seedPerson>[0] = {}) {
  const person = await seedPerson(options);
  const enrolled = await enrolTotp(await seedInvite(person.id));
  expect(enrolled.res.status).toBe(200);
  return { person, ...enrolled };
}

describe('passkey sign-in refusals', () => {
  it('refuses a response signed for another challenge', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const sessions = await sessionCount();
    const a = await passkeyRequest();
    const b = await passkeyRequest();
    const response = await authenticator.authenticate(b.options);
    const res = await call('/api/people/session/passkey', {
      body: { challengeId: a.challengeId, response },
    });
    await expectSignInFailed(res);
    expect(await sessionCount()).toBe(sessions);
    expect((await lastAudit()).detail).toEqual({ method: 'passkey', reason: 'verification' });
  });

  it('refuses a replayed response: each challenge works once', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const { challengeId, options } = await passkeyRequest();
    const response = await authenticator.authenticate(options);
    const first = await call('/api/people/session/passkey', { body: { challengeId, response } });
    expect(first.status).toBe(200);
    const sessions = await sessionCount();
    const again = await call('/api/people/session/passkey', { body: { challengeId, response } });
    await expectSignInFailed(again);
    expect(await sessionCount()).toBe(sessions);
    expect((await lastAudit()).detail).toEqual({ method: 'passkey', reason: 'challenge' });
  });

  it('spends the challenge even when the response fails, so it cannot be retried', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const { challengeId, options } = await passkeyRequest();
    const bad = await authenticator.authenticate(options, { origin: 'https://phish.example' });
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response: bad } }),
    );
    const good = await authenticator.authenticate(options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response: good } }),
    );
  });

  it('refuses an unknown credential', async () => {
    await enrolledWithPasskey();
    const stranger = new SoftAuthenticator();
    const creation = await passkeyCreation(await seedInvite((await seedPerson()).id));
    await stranger.register(creation.options);
    const { challengeId, options } = await passkeyRequest();
    const response = await stranger.authenticate(options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
    const entry = await lastAudit();
    expect(entry).toMatchObject({ actor: 'anonymous', target: null, outcome: 'failure' });
    expect(entry.detail).toEqual({ method: 'passkey', reason: 'unknown_credential' });
  });

  it('refuses an unknown challenge id', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const { options } = await passkeyRequest();
    const response = await authenticator.authenticate(options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', {
        body: { challengeId: 'nope', response },
      }),
    );
  });

  it('refuses a registration challenge presented for sign-in', async () => {
    const person = await seedPerson();
    const token = await seedInvite(person.id);
    const { authenticator } = await enrolPasskey(token);
    const creation = await passkeyCreation(await seedInvite(person.id));
    const response = await authenticator.authenticate({
      challenge: creation.options.challenge,
      rpId: 'nyckel.test',
    });
    await expectSignInFailed(
      await call('/api/people/session/passkey', {
        body: { challengeId: creation.challengeId, response },
      }),
    );
    expect((await lastAudit()).detail.reason).toBe('challenge');
  });

  it('refuses a challenge older than five minutes', async () => {
    freezeClock();
    const { authenticator } = await enrolledWithPasskey();
    const { challengeId, options } = await passkeyRequest();
    const response = await authenticator.authenticate(options);
    moveClock(301);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
  });

  it.each([
    ['made on another site', { origin: 'https://phish.example' }],
    ['for another relying party', { rpId: 'phish.example' }],
    ['without user verification', { userVerified: false }],
    ['of the registration type', { type: 'webauthn.create' }],
  ])('refuses an assertion %s', async (_label, overrides) => {
    const { person, authenticator } = await enrolledWithPasskey();
    const { challengeId, options } = await passkeyRequest();
    const response = await authenticator.authenticate(options, overrides);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
    const entry = await lastAudit();
    expect(entry).toMatchObject({ actor: 'anonymous', target: `person:${person.id}` });
    expect(entry.detail).toEqual({ method: 'passkey', reason: 'verification' });
  });

  it('refuses a signature made with another key for a known credential id', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const forger = new SoftAuthenticator();
    const creation = await passkeyCreation(await seedInvite((await seedPerson()).id));
    await forger.register(creation.options);
    const stolenId = authenticator.credentials[0]?.id;
    const forgedCredential = forger.credentials[0];
    if (!stolenId || !forgedCredential) throw new Error('setup');
    forgedCredential.id = stolenId;
    forgedCredential.userHandle = authenticator.credentials[0]?.userHandle ?? '';
    const { challengeId, options } = await passkeyRequest();
    const response = await forger.authenticate(options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
  });

  it('refuses a replayed signature counter (a cloned authenticator)', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const credential = authenticator.credentials[0];
    if (!credential) throw new Error('setup');
    const first = await passkeyRequest();
    expect(
      (
        await call('/api/people/session/passkey', {
          body: {
            challengeId: first.challengeId,
            response: await authenticator.authenticate(first.options),
          },
        })
      ).status,
    ).toBe(200);
    credential.counter = 0; // the clone still says 1 on its next use
    const second = await passkeyRequest();
    const response = await authenticator.authenticate(second.options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', {
        body: { challengeId: second.challengeId, response },
      }),
    );
  });

  it('refuses a user handle that is not the credential owner’s', async () => {
    const { authenticator } = await enrolledWithPasskey();
    const { challengeId, options } = await passkeyRequest();
    const response = await authenticator.authenticate(options, {
      userHandle: toBase64Url(new Uint8Array(32)),
    });
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
    expect((await lastAudit()).detail.reason).toBe('user_handle');
  });

  it('accepts an assertion without a user handle, and one with null', async () => {
    const { authenticator } = await enrolledWithPasskey();
    for (const userHandle of [null, undefined]) {
      const { challengeId, options } = await passkeyRequest();
      const response = await authenticator.authenticate(options, { userHandle: null });
      const body =
        userHandle === null
          ? { ...response, response: { ...response.response, userHandle: null } }
          : response;
      const res = await call('/api/people/session/passkey', {
        body: { challengeId, response: body },
      });
      expect(res.status).toBe(200);
    }
  });

  it('throttles sign-in challenges per client address', async () => {
    const tight = { LOGIN_PER_ADDRESS_PER_15_MIN: '1' };
    for (let i = 0; i < 2; i++) {
      const res = await callApp('/api/people/session/passkey/options', { body: {}, env: tight });
      expect(res.status).toBe(200);
    }
    const res = await callApp('/api/people/session/passkey/options', { body: {}, env: tight });
    expect(res.status).toBe(429);
    expect(await lastAudit()).toMatchObject({
      action: 'person.signin',
      outcome: 'refused',
      detail: { reason: 'rate_limited' },
    });
  });

  it('refuses a disabled person’s passkey', async () => {
    const { person, authenticator } = await enrolledWithPasskey();
    await env.DB.prepare('UPDATE people SET disabled_at = 1 WHERE id = ?').bind(person.id).run();
    const { challengeId, options } = await passkeyRequest();
    const response = await authenticator.authenticate(options);
    await expectSignInFailed(
      await call('/api/people/session/passkey', { body: { challengeId, response } }),
    );
    expect(await lastAudit()).toMatchObject({
      outcome: 'refused',
      detail: { method: 'passkey', reason: 'person_disabled' },
    });
  });
});

describe('TOTP sign-in refusals', () => {
  it('refuses the same code twice', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const code = codeAt(secret);
    const body = { email: person.email, code };
    expect((await call('/api/people/session/totp', { body })).status).toBe(200);
    const sessions = await sessionCount();
    await expectSignInFailed(await call('/api/people/session/totp', { body }));
    expect(await sessionCount()).toBe(sessions);
    expect((await lastAudit()).detail).toEqual({ method: 'totp', reason: 'replayed' });
  });

  it('refuses the enrolment code for sign-in (its step is spent)', async () => {
    freezeClock();
    const person = await seedPerson();
    const { secret } = await enrolTotp(await seedInvite(person.id));
    await expectSignInFailed(
      await call('/api/people/session/totp', {
        body: { email: person.email, code: codeAt(secret) },
      }),
    );
  });

  it('refuses an older code once a newer one was used', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(60);
    const newer = codeAt(secret, 1);
    const older = codeAt(secret, -1);
    expect(
      (await call('/api/people/session/totp', { body: { email: person.email, code: newer } }))
        .status,
    ).toBe(200);
    await expectSignInFailed(
      await call('/api/people/session/totp', { body: { email: person.email, code: older } }),
    );
  });

  it('refuses codes two steps away', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(120);
    for (const steps of [-2, 2]) {
      const code = codeAt(secret, steps);
      // A collision with the ±1 window would make this test meaningless.
      if ([-1, 0, 1].some((s) => codeAt(secret, s) === code)) continue;
      await expectSignInFailed(
        await call('/api/people/session/totp', { body: { email: person.email, code } }),
      );
      expect((await lastAudit()).detail).toEqual({ method: 'totp', reason: 'wrong_code' });
    }
  });

  it('lets only one of two parallel sign-ins with the same code through', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const body = { email: person.email, code: codeAt(secret) };
    const results = await Promise.all([
      call('/api/people/session/totp', { body }),
      call('/api/people/session/totp', { body }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('compares only five of twenty parallel wrong codes, then locks even the right one', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const wrong = codeAt(secret, 10);
    const sessionsBefore = await sessionCount();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('/api/people/session/totp', { body: { email: person.email, code: wrong } }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    // Counted before the comparison: parallel guesses cannot outrun the lockout.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429 || s === 423)).toHaveLength(15);
    const right = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
    });
    expect(right.status).toBe(423);
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('locks the e-mail after five failures, even for the right code, with retryAfter', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const wrong = codeAt(secret, 10);
    for (let i = 0; i < 5; i++) {
      await expectSignInFailed(
        await call('/api/people/session/totp', { body: { email: person.email, code: wrong } }),
      );
    }
    const res = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
    });
    expect(res.status).toBe(423);
    const body = await json(res);
    expect(body.error).toBe('locked');
    expect(body.retryAfter).toBe(900);
    expect(res.headers.get('Retry-After')).toBe('900');
    expect(await lastAudit()).toMatchObject({
      outcome: 'refused',
      detail: { method: 'totp', reason: 'locked' },
    });
    // After the lock, the right code works again.
    moveClock(901);
    const later = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
    });
    expect(later.status).toBe(200);
  });

  it('answers an unknown e-mail exactly like a wrong code, lockout included', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const wrong = codeAt(secret, 10);
    const known = await call('/api/people/session/totp', {
      body: { email: person.email, code: wrong },
    });
    const unknown = await call('/api/people/session/totp', {
      body: { email: 'nobody@example.se', code: wrong },
    });
    expect(unknown.status).toBe(known.status);
    expect(await json(unknown)).toEqual(await json(known));
    for (let i = 0; i < 4; i++) {
      await call('/api/people/session/totp', { body: { email: 'nobody@example.se', code: wrong } });
    }
    const locked = await call('/api/people/session/totp', {
      body: { email: 'nobody@example.se', code: wrong },
    });
    expect(locked.status).toBe(423);
  });

  it('answers a person without TOTP (passkey only) like a wrong code', async () => {
    const { person } = await enrolledWithPasskey();
    await expectSignInFailed(
      await call('/api/people/session/totp', { body: { email: person.email, code: '123456' } }),
    );
  });

  it('refuses a disabled person’s right code', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    await env.DB.prepare('UPDATE people SET disabled_at = 1 WHERE id = ?').bind(person.id).run();
    moveClock(30);
    await expectSignInFailed(
      await call('/api/people/session/totp', {
        body: { email: person.email, code: codeAt(secret) },
      }),
    );
  });

  it('throttles sign-in attempts per client address', async () => {
    freezeClock();
    const body = { email: 'nobody@example.se', code: '123456' };
    for (let i = 0; i < 30; i++) {
      const res = await call('/api/people/session/totp', {
        body: { ...body, email: `n${i}@example.se` },
        ip: '203.0.113.9',
      });
      expect(res.status).toBe(401);
    }
    const res = await call('/api/people/session/totp', { body, ip: '203.0.113.9' });
    expect(res.status).toBe(429);
    expect((await json(res)).retryAfter).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await call('/api/people/session/totp', { body, ip: '203.0.113.10' })).status).toBe(401);
  });
});

describe('smart-card refusals', () => {
  function card(overrides: Record<string, string> = {}) {
    return {
      tlsClientAuth: {
        certPresented: '1',
        certVerified: 'SUCCESS',
        certRevoked: '0',
        certIssuerDN: ISSUER,
        certSubjectDN: `CN=Anna Andersson,SERIALNUMBER=${HSA_ID},C=SE`,
        certNotBefore: 'Jan  5 10:00:00 2025 GMT',
        certNotAfter: 'Dec 22 19:39:00 2030 GMT',
        ...overrides,
      },
    };
  }

  it.each([
    ['no certificate (no cf object)', undefined, 'no_certificate', 'card_missing'],
    [
      'no certificate presented',
      card({ certPresented: '0', certVerified: 'NONE' }),
      'no_certificate',
      'card_missing',
    ],
    [
      'a certificate the edge could not verify',
      card({ certVerified: 'FAILED:certificate has expired' }),
      'not_verified',
      'card_not_accepted',
    ],
    ['a revoked certificate', card({ certRevoked: '1' }), 'revoked', 'card_revoked'],
    [
      'a certificate from an issuer not configured',
      card({ certIssuerDN: 'CN=Evil CA,C=SE' }),
      'issuer_not_trusted',
      'card_not_accepted',
    ],
    [
      'an expired certificate',
      card({ certNotAfter: 'Dec 22 19:39:00 2020 GMT' }),
      'expired',
      'card_expired',
    ],
    [
      'a certificate not valid yet',
      card({ certNotBefore: 'Dec 22 19:39:00 2029 GMT' }),
      'not_yet_valid',
      'card_not_yet_valid',
    ],
    [
      'a certificate without an HSA-id',
      card({ certSubjectDN: 'CN=Anna Andersson,C=SE' }),
      'no_hsa_id',
      'card_no_hsa_id',
    ],
  ])('refuses %s, and says so', async (_label, cf, reason, code) => {
    await seedPerson({ hsaId: HSA_ID });
    const before = await snapshot();
    const res = await callApp('/api/people/session/certificate', {
      body: {},
      env: WITH_CARD,
      ...(cf ? { cf } : {}),
    });
    await expectCardRefused(res, code);
    const after = await snapshot();
    expect(after.sessions).toEqual(before.sessions);
    const entry = await lastAudit();
    expect(entry).toMatchObject({
      action: 'person.signin',
      outcome: 'refused',
      actor: 'anonymous',
    });
    expect(entry.detail).toEqual({ method: 'certificate', reason });
  });

  it('refuses a certificate whose HSA-id names nobody', async () => {
    await seedPerson({ hsaId: 'SE2321000016-9999' });
    await expectCardRefused(
      await callApp('/api/people/session/certificate', { body: {}, env: WITH_CARD, cf: card() }),
      'card_unknown_person',
    );
    expect((await lastAudit()).detail).toEqual({
      method: 'certificate',
      reason: 'unknown_hsa_id',
      hsaId: HSA_ID,
    });
  });

  it('refuses a disabled person’s card', async () => {
    const person = await seedPerson({ hsaId: HSA_ID, disabled: true });
    // The same words as for nobody: the answer does not tell a disabled person from none.
    await expectCardRefused(
      await callApp('/api/people/session/certificate', { body: {}, env: WITH_CARD, cf: card() }),
      'card_unknown_person',
    );
    expect(await lastAudit()).toMatchObject({
      target: `person:${person.id}`,
      detail: { method: 'certificate', reason: 'person_disabled', hsaId: HSA_ID },
    });
  });

  it('tells nobody whether an HSA-id exists unless a valid, accepted certificate carries it', async () => {
    await seedPerson({ hsaId: HSA_ID });
    const answers = [];
    for (const subject of [HSA_ID, 'SE2321000016-9999']) {
      const flaws: Record<string, string>[] = [
        { certIssuerDN: 'CN=Evil CA,C=SE' },
        { certNotAfter: 'Dec 22 19:39:00 2020 GMT' },
        { certRevoked: '1' },
      ];
      for (const flaw of flaws) {
        const res = await callApp('/api/people/session/certificate', {
          body: {},
          env: WITH_CARD,
          cf: card({ certSubjectDN: `CN=Anna Andersson,SERIALNUMBER=${subject},C=SE`, ...flaw }),
        });
        answers.push({ subject, flaw, status: res.status, body: await res.text() });
      }
    }
    const known = answers.filter((a) => a.subject === HSA_ID);
    const unknown = answers.filter((a) => a.subject !== HSA_ID);
    expect(known.map((a) => [a.status, a.body])).toEqual(unknown.map((a) => [a.status, a.body]));
    expect(answers.some((a) => a.body.includes('card_unknown_person'))).toBe(false);
  });

  it('names the reason in Swedish, or in English when asked', async () => {
    const sv = await json(
      await callApp('/api/people/session/certificate', { body: {}, env: WITH_CARD }),
    );
    expect(sv.message).toMatch(/^Inget kort lästes/);
    const en = await json(
      await callApp('/api/people/session/certificate', {
        body: {},
        env: WITH_CARD,
        headers: { 'Accept-Language': 'en' },
      }),
    );
    expect(en.message).toMatch(/^No card was read/);
    const expired = await json(
      await callApp('/api/people/session/certificate', {
        body: {},
        env: WITH_CARD,
        cf: card({ certNotAfter: 'Dec 22 19:39:00 2020 GMT' }),
      }),
    );
    expect(expired.message).toMatch(/har gått ut/);
  });

  it('is off when no issuer is configured, whatever the certificate says', async () => {
    await seedPerson({ hsaId: HSA_ID });
    await expectCardRefused(
      await callApp('/api/people/session/certificate', { body: {}, cf: card() }),
      'card_off',
    );
    expect((await lastAudit()).detail).toEqual({
      method: 'certificate',
      reason: 'card_sign_in_off',
    });
  });

  it('ignores certificate details a client sends in headers or the body', async () => {
    await seedPerson({ hsaId: HSA_ID });
    const res = await callApp('/api/people/session/certificate', {
      body: {},
      env: WITH_CARD,
      headers: {
        'cf-client-cert-sha256': 'abc',
        'X-SSL-Client-S-DN': `SERIALNUMBER=${HSA_ID}`,
      },
    });
    await expectCardRefused(res, 'card_missing');
    const withBody = await callApp('/api/people/session/certificate', {
      body: card(),
      env: WITH_CARD,
    });
    expect(withBody.status).toBe(400);
  });
});

describe('malformed requests', () => {
  const token = 'A'.repeat(43);
  const response = {
    id: 'abc',
    rawId: 'abc',
    type: 'public-key',
    response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
    clientExtensionResults: {},
  };
  const cases: [string, string, unknown][] = [
    ['/api/people/invite', 'no token', {}],
    ['/api/people/invite', 'a short token', { token: 'abc' }],
    ['/api/people/invite', 'a token with other characters', { token: `${'A'.repeat(42)}/` }],
    ['/api/people/invite', 'a huge token', { token: 'A'.repeat(129) }],
    ['/api/people/invite', 'an extra field', { token, admin: true }],
    ['/api/people/invite', 'a number', { token: 12345 }],
    ['/api/people/enrol/passkey/options', 'no token', {}],
    ['/api/people/enrol/passkey', 'no response', { token, challengeId: 'x' }],
    [
      '/api/people/enrol/passkey',
      'a response that is not base64url',
      {
        token,
        challengeId: 'x',
        response: {
          ...response,
          response: { clientDataJSON: '{"type":"x"}', attestationObject: 'AA' },
        },
      },
    ],
    [
      '/api/people/enrol/passkey',
      'a huge attestation object',
      {
        token,
        challengeId: 'x',
        response: {
          ...response,
          response: { clientDataJSON: 'e30', attestationObject: 'A'.repeat(8193) },
        },
      },
    ],
    [
      '/api/people/enrol/passkey',
      'another credential type',
      {
        token,
        challengeId: 'x',
        response: {
          ...response,
          type: 'password',
          response: { clientDataJSON: 'e30', attestationObject: 'AA' },
        },
      },
    ],
    ['/api/people/enrol/totp/options', 'a token in an array', { token: [token] }],
    ['/api/people/enrol/totp', 'a five-digit code', { token, code: '12345' }],
    ['/api/people/enrol/totp', 'letters for a code', { token, code: 'abcdef' }],
    ['/api/people/session/passkey/options', 'a field', { email: 'a@b.se' }],
    ['/api/people/session/passkey', 'no challenge id', { response }],
    [
      '/api/people/session/passkey',
      'an empty credential id',
      { challengeId: 'x', response: { ...response, id: '', rawId: '' } },
    ],
    [
      '/api/people/session/passkey',
      'a huge user handle',
      {
        challengeId: 'x',
        response: { ...response, response: { ...response.response, userHandle: 'A'.repeat(97) } },
      },
    ],
    [
      '/api/people/session/passkey',
      'a signature that is an object',
      {
        challengeId: 'x',
        response: { ...response, response: { ...response.response, signature: {} } },
      },
    ],
    ['/api/people/session/totp', 'no e-mail', { code: '123456' }],
    ['/api/people/session/totp', 'not an e-mail', { email: 'anna', code: '123456' }],
    [
      '/api/people/session/totp',
      'a huge e-mail',
      { email: `${'a'.repeat(250)}@b.se`, code: '123456' },
    ],
    ['/api/people/session/totp', 'a seven-digit code', { email: 'a@b.se', code: '1234567' }],
    ['/api/people/session/certificate', 'a field', { hsaId: HSA_ID }],
  ];

  it.each(cases)('%s refuses %s with 400 and writes nothing', async (path, _label, body) => {
    await seedPerson({ email: 'a@b.se' });
    const before = await snapshot();
    const res = await call(path, { body });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    '/api/people/invite',
    '/api/people/enrol/passkey',
    '/api/people/session/totp',
    '/api/people/session/passkey/options',
  ])('%s refuses a body that is not JSON, and an empty one, writing nothing', async (path) => {
    const before = await snapshot();
    for (const raw of ['{"token":', '']) {
      const res = await call(path, { method: 'POST', raw: raw || ' ' });
      expect(res.status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('never echoes the value it refused', async () => {
    const res = await call('/api/people/session/totp', {
      body: { email: 'a@b.se', code: 'secret-ish-987' },
    });
    expect(await res.text()).not.toContain('secret-ish-987');
  });
});

describe('cross-site requests and secrets', () => {
  it.each([
    '/api/people/invite',
    '/api/people/enrol/totp',
    '/api/people/session/totp',
    '/api/people/session/passkey/options',
  ])('refuses %s from another site', async (path) => {
    const before = await snapshot();
    const res = await call(path, {
      body: { token: 'A'.repeat(43), code: '123456', email: 'a@b.se' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('forbidden_origin');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a cross-site sign-out (the cookie stays valid)', async () => {
    const person = await seedPerson();
    const cookie = await personCookie(person.id);
    const res = await call('/api/people/session', {
      method: 'DELETE',
      cookie,
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await call('/api/people/session', { cookie })).status).toBe(200);
  });

  it('keeps invite tokens, TOTP secrets, codes and session ids out of the audit log', async () => {
    freezeClock();
    const person = await seedPerson();
    const token = await seedInvite(person.id);
    await call('/api/people/invite', { body: { token } });
    const { secret, cookie } = await enrolTotp(token);
    moveClock(30);
    const code = codeAt(secret);
    await call('/api/people/session/totp', { body: { email: person.email, code: '000000' } });
    const signedIn = await call('/api/people/session/totp', {
      body: { email: person.email, code },
    });
    const second = (signedIn.headers.get('Set-Cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
    await enrolPasskey(await seedInvite(person.id));
    const rows = JSON.stringify(await auditRows());
    for (const value of [token, secret, code, cookie.split('=')[1] ?? '', second]) {
      expect(value.length).toBeGreaterThan(5);
      expect(rows).not.toContain(value);
    }
    expect(rows).not.toContain(person.email);
    const stored = JSON.stringify(await snapshot());
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(secret);
  });
});
