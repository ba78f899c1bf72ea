import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { config } from '../../worker/config';
import { toBase64Url } from '../../worker/domain/bytes';
import { unseal } from '../../worker/domain/sealed';
import { totpCode } from '../../worker/domain/totp';
import {
  PasskeyCreation,
  PersonView,
  TotpEnrolment,
} from '../../worker/routes/people-auth.schemas';
import { auditRows, call, json, snapshot } from '../helpers';
import {
  callApp,
  cookieFrom,
  enrolPasskey,
  enrolTotp,
  passkeyCreation,
  SoftAuthenticator,
  signInWithPasskey,
} from '../people-auth-helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * Enrolment through a one-time invite: a passkey, or a
 * TOTP secret confirmed with a code. The invite works once; enrolling replaces the person's
 * earlier factors and sessions (lost device = new invite) and signs them in.
 */

afterEach(() => {
  vi.useRealTimers();
});

async function invited(options: Parameters<typeof seedPerson>[0] = {}) {
  const person = await seedPerson(options);
  const token = await seedInvite(person.id);
  return { person, token };
}

async function inviteRow(personId: string) {
  return env.DB.prepare(
    'SELECT id, used_at, claim, totp_secret FROM invites WHERE person_id = ? ORDER BY rowid DESC',
  )
    .bind(personId)
    .first<{
      id: string;
      used_at: number | null;
      claim: string | null;
      totp_secret: string | null;
    }>();
}

async function count(table: string, where: string, ...params: unknown[]) {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function liveSessions(personId: string) {
  return count('sessions', "kind = 'person' AND subject_id = ? AND revoked_at IS NULL", personId);
}

describe('opening an invite link', () => {
  it('greets the invited person by name and says until when the link works', async () => {
    const { person, token } = await invited({ name: 'Anna Andersson', email: 'Anna@Example.se' });
    const res = await call('/api/people/invite', { body: { token } });
    expect(res.status).toBe(200);
    const body = await json<{ name: string; email: string; expiresAt: string }>(res);
    expect(body).toMatchObject({ name: 'Anna Andersson', email: 'anna@example.se' });
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    expect(person.id).toBeTruthy();
  });

  it.each([
    ['an unknown token', async () => 'x'.repeat(43)],
    [
      'an expired invite',
      async () => seedInvite((await seedPerson()).id, { expiresInSeconds: -1 }),
    ],
    [
      'a revoked invite',
      async () => {
        const p = await seedPerson();
        const token = await seedInvite(p.id);
        await env.DB.prepare('UPDATE invites SET revoked_at = 1 WHERE person_id = ?')
          .bind(p.id)
          .run();
        return token;
      },
    ],
    [
      'the invite of a disabled person',
      async () => seedInvite((await seedPerson({ disabled: true })).id),
    ],
  ])('answers 410 invite_invalid for %s, and audits the refusal', async (_label, make) => {
    const token = await make();
    const res = await call('/api/people/invite', { body: { token } });
    expect(res.status).toBe(410);
    expect((await json(res)).error).toBe('invite_invalid');
    const [row] = (await auditRows()).slice(-1);
    expect(row).toMatchObject({
      action: 'person.invite.open',
      outcome: 'refused',
      actor: 'anonymous',
    });
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ reason: 'invite_invalid' });
  });
});

describe('throttling invite links', () => {
  it('answers 429 after too many invite calls from one address (known tokens or not)', async () => {
    const { token } = await invited();
    const tight = { LOGIN_PER_ADDRESS_PER_15_MIN: '2' };
    for (let i = 0; i < 4; i++) {
      const res = await callApp('/api/people/invite', { body: { token }, env: tight });
      expect(res.status).toBe(200);
    }
    const res = await callApp('/api/people/invite', { body: { token }, env: tight });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    const options = await callApp('/api/people/enrol/passkey/options', {
      body: { token },
      env: tight,
    });
    expect(options.status).toBe(429);
    const other = await callApp('/api/people/invite', {
      body: { token },
      env: tight,
      ip: '203.0.113.77',
    });
    expect(other.status).toBe(200);
    const [entry] = (await auditRows()).filter((r) => r.outcome === 'refused');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ reason: 'rate_limited' });
  });
});

describe('enrolling a passkey', () => {
  it('offers discoverable, user-verified creation options for the invited person', async () => {
    const { person, token } = await invited({ name: 'Anna Andersson' });
    const body = await passkeyCreation(token);
    expect(v.is(PasskeyCreation, body)).toBe(true);
    const { options } = body;
    expect(options.rp).toEqual({ id: 'nyckel.test', name: config(env).people.rpName });
    expect(options.user.name).toBe(person.email);
    expect(options.user.displayName).toBe('Anna Andersson');
    // The user handle is a digest, not the person's id or e-mail.
    expect(options.user.id).not.toContain(person.id);
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(options.attestation).toBe('none');
    expect(options.timeout).toBe(300_000);
    const row = await env.DB.prepare('SELECT * FROM webauthn_challenges WHERE id = ?')
      .bind(body.challengeId)
      .first<{ challenge: string; purpose: string; expires_at: number; created_at: number }>();
    expect(row).toMatchObject({ challenge: options.challenge, purpose: 'register' });
    expect((row?.expires_at ?? 0) - (row?.created_at ?? 0)).toBe(300);
  });

  it('registers the passkey, uses the invite and signs the person in', async () => {
    const unit = await seedUnit('Hemtjänst Åby');
    const { person, token } = await invited({ roles: { [unit.id]: 'manager' }, isAdmin: true });
    const { res, cookie } = await enrolPasskey(token);
    expect(res.status).toBe(200);
    const view = await json<v.InferOutput<typeof PersonView>>(res);
    expect(v.is(PersonView, view)).toBe(true);
    expect(view).toMatchObject({
      id: person.id,
      email: person.email,
      isAdmin: true,
      method: 'passkey',
      units: [{ id: unit.id, name: 'Hemtjänst Åby', role: 'manager' }],
    });
    expect(Date.parse(view.expiresAt) - Date.parse(view.verifiedAt)).toBe(12 * 3600 * 1000);
    expect(Date.parse(view.freshUntil) - Date.parse(view.verifiedAt)).toBe(10 * 60 * 1000);

    const setCookie = res.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-nyckel_person=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Max-Age=43200/);

    const me = await call('/api/people/session', { cookie });
    expect(me.status).toBe(200);
    expect((await json(me)).id).toBe(person.id);

    const invite = await inviteRow(person.id);
    expect(invite?.used_at).not.toBeNull();
    const passkey = await env.DB.prepare('SELECT * FROM passkeys WHERE person_id = ?')
      .bind(person.id)
      .first<{ public_key: string; counter: number; transports: string }>();
    expect(passkey?.public_key).toMatch(/^[A-Za-z0-9_-]{60,}$/);
    expect(passkey).toMatchObject({ counter: 0, transports: 'internal' });
    const session = await env.DB.prepare(
      "SELECT method, verified_at, created_at, ip FROM sessions WHERE subject_id = ? AND kind = 'person'",
    )
      .bind(person.id)
      .first<{ method: string; verified_at: number; created_at: number; ip: string }>();
    expect(session).toMatchObject({ method: 'passkey', ip: '198.51.100.7' });
    expect(session?.verified_at).toBe(session?.created_at);

    const [entry] = (await auditRows()).filter((r) => r.action === 'person.enrol');
    expect(entry).toMatchObject({
      actor: `person:${person.id}`,
      target: `person:${person.id}`,
      outcome: 'success',
    });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'passkey' });
  });

  it('lets the new passkey sign in afterwards', async () => {
    const { person, token } = await invited();
    const { authenticator } = await enrolPasskey(token);
    const { res } = await signInWithPasskey(authenticator);
    expect(res.status).toBe(200);
    expect((await json(res)).id).toBe(person.id);
  });

  it('replaces earlier passkeys and TOTP, and ends every earlier session', async () => {
    const { person, token } = await invited();
    const first = await enrolPasskey(token);
    await env.DB.prepare(
      'INSERT INTO totp_factors (person_id, secret, last_step, created_at) VALUES (?, ?, 0, 0)',
    )
      .bind(person.id, 'v1.1.x.y')
      .run();
    const otherDevice = await personCookie(person.id);
    const again = await enrolPasskey(await seedInvite(person.id));
    expect(again.res.status).toBe(200);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(1);
    expect(await count('totp_factors', 'person_id = ?', person.id)).toBe(0);
    expect(await liveSessions(person.id)).toBe(1);
    for (const cookie of [first.cookie, otherDevice]) {
      expect((await call('/api/people/session', { cookie })).status).toBe(401);
    }
    expect((await call('/api/people/session', { cookie: again.cookie })).status).toBe(200);
    // The old device's passkey no longer signs in.
    expect((await signInWithPasskey(first.authenticator)).res.status).toBe(401);
  });

  it('ends the session the browser had, even another person’s', async () => {
    const other = await seedPerson();
    const otherCookie = await personCookie(other.id);
    const { token } = await invited();
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options);
    const res = await call('/api/people/enrol/passkey', {
      body: { token, challengeId, response },
      cookie: otherCookie,
    });
    expect(res.status).toBe(200);
    expect((await call('/api/people/session', { cookie: otherCookie })).status).toBe(401);
  });

  it('works once: the link answers 410 after it was used', async () => {
    const { token } = await invited();
    expect((await enrolPasskey(token)).res.status).toBe(200);
    for (const path of ['/api/people/invite', '/api/people/enrol/passkey/options']) {
      const res = await call(path, { body: { token } });
      expect(res.status).toBe(410);
      expect((await json(res)).error).toBe('invite_invalid');
    }
    const second = await call('/api/people/enrol/totp/options', { body: { token } });
    expect(second.status).toBe(410);
  });

  it('lets exactly one of two parallel enrolments with the same invite win', async () => {
    const { person, token } = await invited();
    const a = new SoftAuthenticator();
    const b = new SoftAuthenticator();
    const [ca, cb] = await Promise.all([passkeyCreation(token), passkeyCreation(token)]);
    const [ra, rb] = await Promise.all([a.register(ca.options), b.register(cb.options)]);
    const results = await Promise.all([
      call('/api/people/enrol/passkey', {
        body: { token, challengeId: ca.challengeId, response: ra },
      }),
      call('/api/people/enrol/passkey', {
        body: { token, challengeId: cb.challengeId, response: rb },
      }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(1);
    expect(await liveSessions(person.id)).toBe(1);
    const loser = results.find((r) => r.status === 410);
    expect(loser?.headers.get('Set-Cookie')).toBeNull();
  });

  it('writes nothing when the invite is used between the look-up and the claim', async () => {
    const { person, token } = await invited();
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options);
    const oldSession = await personCookie(person.id);
    // Another tab wins the invite the moment this request spends its challenge.
    await env.DB.prepare(
      `CREATE TRIGGER race AFTER UPDATE OF used_at ON webauthn_challenges BEGIN
         UPDATE invites SET used_at = NEW.used_at, claim = 'other-tab' WHERE person_id = '${person.id}';
       END`,
    ).run();
    try {
      const before = await snapshot();
      const res = await call('/api/people/enrol/passkey', {
        body: { token, challengeId, response },
      });
      expect(res.status).toBe(410);
      expect((await json(res)).error).toBe('invite_invalid');
      const after = await snapshot();
      expect(after.passkeys).toEqual(before.passkeys);
      expect(after.sessions).toEqual(before.sessions);
      expect((await call('/api/people/session', { cookie: oldSession })).status).toBe(200);
      const [entry] = (await auditRows()).slice(-1);
      expect(entry).toMatchObject({ action: 'person.enrol', outcome: 'refused' });
      expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
        method: 'passkey',
        reason: 'invite_used',
      });
    } finally {
      await env.DB.prepare('DROP TRIGGER race').run();
    }
  });

  it('refuses an expired invite, even with a challenge taken in time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { person } = await invited();
    const token = await seedInvite(person.id, { expiresInSeconds: 60 });
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options);
    vi.setSystemTime(Date.now() + 61_000);
    const res = await call('/api/people/enrol/passkey', { body: { token, challengeId, response } });
    expect(res.status).toBe(410);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(0);
  });

  it('refuses a challenge older than five minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { person, token } = await invited();
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options);
    vi.setSystemTime(Date.now() + 301_000);
    const res = await call('/api/people/enrol/passkey', { body: { token, challengeId, response } });
    expect(res.status).toBe(401);
    expect((await json(res)).error).toBe('sign_in_failed');
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(0);
    expect((await inviteRow(person.id))?.used_at).toBeNull();
  });

  it('refuses a challenge made for another invite', async () => {
    const { token } = await invited();
    const other = await invited();
    const { challengeId, options } = await passkeyCreation(other.token);
    const response = await new SoftAuthenticator().register(options);
    const res = await call('/api/people/enrol/passkey', { body: { token, challengeId, response } });
    expect(res.status).toBe(401);
    const [entry] = (await auditRows()).slice(-1);
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'passkey', reason: 'challenge' });
  });

  it.each([
    ['signed for another challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['made on another site', { origin: 'https://phish.example' }],
    ['for another relying party', { rpId: 'example.se' }],
    ['without user verification', { userVerified: false }],
    ['of the wrong ceremony type', { type: 'webauthn.get' }],
  ])('refuses a registration %s, keeping the invite usable', async (_label, overrides) => {
    const { person, token } = await invited();
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options, overrides);
    const res = await call('/api/people/enrol/passkey', { body: { token, challengeId, response } });
    expect(res.status).toBe(401);
    expect((await json(res)).error).toBe('sign_in_failed');
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(0);
    expect(await liveSessions(person.id)).toBe(0);
    expect((await inviteRow(person.id))?.used_at).toBeNull();
    const [entry] = (await auditRows()).slice(-1);
    expect(entry).toMatchObject({ action: 'person.enrol', outcome: 'failure', actor: 'anonymous' });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      method: 'passkey',
      reason: 'verification',
    });
    // The invite still works with a fresh challenge.
    expect((await enrolPasskey(token)).res.status).toBe(200);
  });

  it('refuses a credential id that another person already holds', async () => {
    const first = await invited();
    const { authenticator } = await enrolPasskey(first.token);
    const second = await invited();
    const { challengeId, options } = await passkeyCreation(second.token);
    // Same id, fresh key: a copied id must not move the credential between people.
    const response = await new SoftAuthenticator().register(options, {
      credentialId: authenticator.credentials[0]?.id,
    });
    const res = await call('/api/people/enrol/passkey', {
      body: { token: second.token, challengeId, response },
    });
    expect(res.status).toBe(401);
    expect(await count('passkeys', 'person_id = ?', second.person.id)).toBe(0);
    expect(await count('passkeys', 'person_id = ?', first.person.id)).toBe(1);
    const [entry] = (await auditRows()).slice(-1);
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      method: 'passkey',
      reason: 'credential_in_use',
    });
  });

  it('refuses a response whose id is not the one the authenticator signed', async () => {
    const { person, token } = await invited();
    const { challengeId, options } = await passkeyCreation(token);
    const response = await new SoftAuthenticator().register(options);
    const id = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const res = await call('/api/people/enrol/passkey', {
      body: { token, challengeId, response: { ...response, id, rawId: id } },
    });
    expect(res.status).toBe(401);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(0);
  });

  it('uses the page’s own host as relying party on localhost in development', async () => {
    const { person, token } = await invited();
    const local = 'http://localhost:8787';
    const res = await callApp('/api/people/enrol/passkey/options', {
      body: { token },
      url: local,
      env: { PUBLIC_ORIGIN: local },
    });
    const { challengeId, options } = await json<Awaited<ReturnType<typeof passkeyCreation>>>(res);
    expect(options.rp.id).toBe('localhost');
    const response = await new SoftAuthenticator(local).register(options);
    const done = await callApp('/api/people/enrol/passkey', {
      body: { token, challengeId, response },
      url: local,
      env: { PUBLIC_ORIGIN: local },
    });
    expect(done.status).toBe(200);
    // Plain HTTP on localhost: no __Host- prefix, no Secure (browsers would drop it).
    expect(cookieFrom(done)).toMatch(/^nyckel_person=/);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(1);
  });

  it('accepts 127.0.0.1 on any port in development (the browser tests)', async () => {
    const { token } = await invited();
    const local = 'http://127.0.0.1:49152';
    const res = await callApp('/api/people/enrol/passkey/options', { body: { token }, url: local });
    const { challengeId, options } = await json<Awaited<ReturnType<typeof passkeyCreation>>>(res);
    expect(options.rp.id).toBe('127.0.0.1');
    const response = await new SoftAuthenticator(local).register(options);
    const done = await callApp('/api/people/enrol/passkey', {
      body: { token, challengeId, response },
      url: local,
    });
    expect(done.status).toBe(200);
  });

  it('never uses the request’s host outside development', async () => {
    const { token } = await invited();
    const local = 'http://localhost:8787';
    const production = {
      ENVIRONMENT: 'production',
      SMS_PROVIDER: '46elks',
      MAIL_PROVIDER: 'mailgun',
    };
    const res = await callApp('/api/people/enrol/passkey/options', {
      body: { token },
      url: local,
      env: production,
    });
    const { challengeId, options } = await json<Awaited<ReturnType<typeof passkeyCreation>>>(res);
    expect(options.rp.id).toBe('nyckel.test');
    const response = await new SoftAuthenticator(local).register(options);
    const done = await callApp('/api/people/enrol/passkey', {
      body: { token, challengeId, response },
      url: local,
      env: production,
    });
    expect(done.status).toBe(401);
  });
});

describe('enrolling TOTP', () => {
  it('offers a secret as text, otpauth URI and QR code, sealed in the invite until confirmed', async () => {
    const { person, token } = await invited({ email: 'anna@example.se' });
    const res = await call('/api/people/enrol/totp/options', { body: { token } });
    expect(res.status).toBe(200);
    const body = await json<v.InferOutput<typeof TotpEnrolment>>(res);
    expect(v.is(TotpEnrolment, body)).toBe(true);
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(body.uri);
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(uri.searchParams.get('issuer')).toBe(config(env).people.rpName);
    expect(decodeURIComponent(uri.pathname)).toContain('anna@example.se');
    expect(body.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(body.qrSvg).not.toMatch(/<script|on\w+=/i);
    const invite = await inviteRow(person.id);
    expect(invite?.totp_secret).toMatch(/^v1\./);
    expect(invite?.totp_secret).not.toContain(body.secret);
    expect(await unseal(invite?.totp_secret ?? '', invite?.id ?? '', config(env).dataKey)).toBe(
      body.secret,
    );
  });

  it('shows the same secret when asked again (a reload, a second tab)', async () => {
    const { token } = await invited();
    const [a, b] = await Promise.all([
      call('/api/people/enrol/totp/options', { body: { token } }).then((r) => json(r)),
      call('/api/people/enrol/totp/options', { body: { token } }).then((r) => json(r)),
    ]);
    const c = await json(await call('/api/people/enrol/totp/options', { body: { token } }));
    expect(a.secret).toBe(b.secret);
    expect(c.secret).toBe(a.secret);
  });

  it('confirms the secret with a code, stores it sealed to the person and signs in', async () => {
    const { person, token } = await invited();
    const stepBefore = Math.floor(Date.now() / 30_000);
    const { res, cookie, secret } = await enrolTotp(token);
    const stepAfter = Math.floor(Date.now() / 30_000);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: person.id, method: 'totp' });
    expect((await call('/api/people/session', { cookie })).status).toBe(200);
    const factor = await env.DB.prepare(
      'SELECT secret, last_step FROM totp_factors WHERE person_id = ?',
    )
      .bind(person.id)
      .first<{ secret: string; last_step: number }>();
    expect(factor?.secret).not.toContain(secret);
    const cfg = config(env);
    expect(await unseal(factor?.secret ?? '', person.id, cfg.dataKey)).toBe(secret);
    // Sealed to the person: the invite's copy does not open as the factor, nor vice versa.
    const invite = await inviteRow(person.id);
    expect(await unseal(factor?.secret ?? '', invite?.id ?? '', cfg.dataKey)).toBeNull();
    // The step of the code entered: the clock may pass a 30 s boundary during the test.
    expect(factor?.last_step).toBeGreaterThanOrEqual(stepBefore);
    expect(factor?.last_step).toBeLessThanOrEqual(stepAfter);
    const [entry] = (await auditRows()).filter((r) => r.action === 'person.enrol');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'totp' });
  });

  it('refuses a wrong code with 400 invalid_app_code and keeps the invite', async () => {
    const { person, token } = await invited();
    const opts = await json<{ secret: string }>(
      await call('/api/people/enrol/totp/options', { body: { token } }),
    );
    const right = totpCode(opts.secret, Date.now());
    const wrong = right === '000000' ? '111111' : '000000';
    const res = await call('/api/people/enrol/totp', { body: { token, code: wrong } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_app_code');
    expect(await count('totp_factors', 'person_id = ?', person.id)).toBe(0);
    expect((await inviteRow(person.id))?.used_at).toBeNull();
    const [entry] = (await auditRows()).slice(-1);
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'totp', reason: 'wrong_code' });
    expect((await call('/api/people/enrol/totp', { body: { token, code: right } })).status).toBe(
      200,
    );
  });

  it('refuses a code before any secret was offered', async () => {
    const { token } = await invited();
    const res = await call('/api/people/enrol/totp', { body: { token, code: '123456' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_app_code');
  });

  it('lets exactly one of two parallel confirmations win', async () => {
    const { person, token } = await invited();
    const opts = await json<{ secret: string }>(
      await call('/api/people/enrol/totp/options', { body: { token } }),
    );
    const code = totpCode(opts.secret, Date.now());
    const results = await Promise.all([
      call('/api/people/enrol/totp', { body: { token, code } }),
      call('/api/people/enrol/totp', { body: { token, code } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(await count('totp_factors', 'person_id = ?', person.id)).toBe(1);
    expect(await liveSessions(person.id)).toBe(1);
    const refused = (await auditRows()).filter(
      (r) => r.action === 'person.enrol' && r.outcome === 'refused',
    );
    // The loser finds the invite used either at the look-up or at the claim in the batch.
    expect(refused).toHaveLength(1);
    expect(['invite_used', 'invite_invalid']).toContain(
      JSON.parse(refused[0]?.detail ?? '{}').reason,
    );
  });

  it('replaces an earlier passkey', async () => {
    const { person, token } = await invited();
    const { authenticator } = await enrolPasskey(token);
    const again = await enrolTotp(await seedInvite(person.id));
    expect(again.res.status).toBe(200);
    expect(await count('passkeys', 'person_id = ?', person.id)).toBe(0);
    expect((await signInWithPasskey(authenticator)).res.status).toBe(401);
  });

  it('refuses the invite of a person disabled after it was sent', async () => {
    const { person, token } = await invited();
    const opts = await json<{ secret: string }>(
      await call('/api/people/enrol/totp/options', { body: { token } }),
    );
    await env.DB.prepare('UPDATE people SET disabled_at = 1 WHERE id = ?').bind(person.id).run();
    const before = await snapshot();
    const res = await call('/api/people/enrol/totp', {
      body: { token, code: totpCode(opts.secret, Date.now()) },
    });
    expect(res.status).toBe(410);
    const after = await snapshot();
    expect(after.totp_factors).toEqual(before.totp_factors);
    expect(after.sessions).toEqual(before.sessions);
    expect(after.invites).toEqual(before.invites);
  });
});
