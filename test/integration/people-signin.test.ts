import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PasskeyRequest, PersonView } from '../../worker/routes/people-auth.schemas';
import { auditRows, call, json } from '../helpers';
import {
  callApp,
  codeAt,
  cookieFrom,
  enrolPasskey,
  enrolTotp,
  passkeyRequest,
  signInWithPasskey,
} from '../people-auth-helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * Signing in: with the passkey, a TOTP code or a smart card at the edge. Every
 * sign-in is a new session verified now (the step-up), and ends the session the browser had.
 * Sessions end after 30 idle minutes and 12 hours at most.
 */

/** Mid-step, so a test's own few seconds never cross a 30-second TOTP boundary. */
const T0 = Date.UTC(2026, 4, 4, 8, 0, 10);
const ISSUER = 'CN=SITHS e-id Person HSA-id 3 CA v1,O=Inera AB,C=SE';
const HSA_ID = 'SE2321000016-1234';

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

function card(hsaId = HSA_ID) {
  return {
    tlsClientAuth: {
      certPresented: '1',
      certVerified: 'SUCCESS',
      certRevoked: '0',
      certIssuerDN: ISSUER,
      certSubjectDN: `CN=Anna Andersson,SERIALNUMBER=${hsaId},O=Region Test,C=SE`,
      certNotBefore: 'Jan  5 10:00:00 2025 GMT',
      certNotAfter: 'Dec 22 19:39:00 2030 GMT',
    },
  };
}

describe('signing in with a passkey', () => {
  it('offers a challenge for any discoverable passkey, user verification required', async () => {
    const body = await passkeyRequest();
    expect(v.is(PasskeyRequest, body)).toBe(true);
    expect(body.options).toMatchObject({
      rpId: 'nyckel.test',
      userVerification: 'required',
      timeout: 300_000,
    });
    expect(body.options.allowCredentials ?? []).toEqual([]);
    const row = await env.DB.prepare(
      'SELECT purpose, invite_id FROM webauthn_challenges WHERE id = ?',
    )
      .bind(body.challengeId)
      .first();
    expect(row).toEqual({ purpose: 'authenticate', invite_id: null });
  });

  it('signs the person in and records the use of the passkey', async () => {
    const unit = await seedUnit('Hemvård Åby');
    const { person, authenticator } = await enrolledWithPasskey({
      roles: { [unit.id]: 'delegate' },
    });
    const { res, cookie } = await signInWithPasskey(authenticator);
    expect(res.status).toBe(200);
    const view = await json<v.InferOutput<typeof PersonView>>(res);
    expect(v.is(PersonView, view)).toBe(true);
    expect(view).toMatchObject({
      id: person.id,
      method: 'passkey',
      isAdmin: false,
      units: [{ id: unit.id, name: 'Hemvård Åby', role: 'delegate' }],
    });
    expect(cookie).toMatch(/^__Host-nyckel_person=/);
    const passkey = await env.DB.prepare(
      'SELECT counter, last_used_at FROM passkeys WHERE person_id = ?',
    )
      .bind(person.id)
      .first<{ counter: number; last_used_at: number | null }>();
    expect(passkey?.counter).toBe(1);
    expect(passkey?.last_used_at).not.toBeNull();
    const [entry] = (await auditRows()).slice(-1);
    expect(entry).toMatchObject({
      action: 'person.signin',
      actor: `person:${person.id}`,
      target: `person:${person.id}`,
      outcome: 'success',
      ip: '198.51.100.7',
    });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'passkey' });
  });

  it('keeps counting: each sign-in raises the stored counter', async () => {
    const { person, authenticator } = await enrolledWithPasskey();
    for (let i = 0; i < 3; i++) {
      expect((await signInWithPasskey(authenticator)).res.status).toBe(200);
    }
    const row = await env.DB.prepare('SELECT counter FROM passkeys WHERE person_id = ?')
      .bind(person.id)
      .first<{ counter: number }>();
    expect(row?.counter).toBe(3);
  });

  it('ends the session the browser had (a new sign-in replaces it)', async () => {
    const { authenticator, cookie: old } = await enrolledWithPasskey();
    const { res, cookie } = await signInWithPasskey(authenticator, old);
    expect(res.status).toBe(200);
    expect(cookie).not.toBe(old);
    expect((await call('/api/people/session', { cookie: old })).status).toBe(401);
    expect((await call('/api/people/session', { cookie })).status).toBe(200);
  });

  it('refreshes the step-up: a stale session becomes fresh by signing in again', async () => {
    freezeClock();
    const { person, authenticator } = await enrolledWithPasskey();
    const stale = await personCookie(person.id, { verifiedAgoSeconds: 11 * 60 });
    const before = await json<{ freshUntil: string }>(
      await call('/api/people/session', { cookie: stale }),
    );
    expect(Date.parse(before.freshUntil)).toBeLessThan(Date.now());
    const { res } = await signInWithPasskey(authenticator, stale);
    const view = await json<{ verifiedAt: string; freshUntil: string }>(res);
    expect(Date.parse(view.verifiedAt)).toBe(T0 - (T0 % 1000));
    expect(Date.parse(view.freshUntil)).toBe(Date.parse(view.verifiedAt) + 600_000);
  });
});

describe('signing in with TOTP', () => {
  it('signs in with e-mail and the current code', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp({ email: 'anna@example.se' });
    moveClock(30);
    const res = await call('/api/people/session/totp', {
      body: { email: ' Anna@Example.se ', code: codeAt(secret) },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: person.id, method: 'totp' });
    expect(cookieFrom(res)).toMatch(/^__Host-nyckel_person=/);
    const row = await env.DB.prepare('SELECT last_step FROM totp_factors WHERE person_id = ?')
      .bind(person.id)
      .first<{ last_step: number }>();
    expect(row?.last_step).toBe(Math.floor(Date.now() / 30_000));
  });

  it('accepts a code formatted with a space, as apps show it', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    const code = codeAt(secret);
    const res = await call('/api/people/session/totp', {
      body: { email: person.email, code: `${code.slice(0, 3)} ${code.slice(3)}` },
    });
    expect(res.status).toBe(200);
  });

  it('accepts the code of the step before and of the step after (clock drift)', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(120);
    const previous = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret, -1) },
    });
    expect(previous.status).toBe(200);
    const next = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret, 1) },
    });
    expect(next.status).toBe(200);
  });

  it('clears the failure count after a good sign-in', async () => {
    freezeClock();
    const { person, secret } = await enrolledWithTotp();
    moveClock(30);
    for (let i = 0; i < 4; i++) {
      const res = await call('/api/people/session/totp', {
        body: { email: person.email, code: codeAt(secret, 5) },
      });
      expect(res.status).toBe(401);
    }
    expect(
      (
        await call('/api/people/session/totp', {
          body: { email: person.email, code: codeAt(secret) },
        })
      ).status,
    ).toBe(200);
    moveClock(30);
    for (let i = 0; i < 4; i++) {
      await call('/api/people/session/totp', {
        body: { email: person.email, code: codeAt(secret, 5) },
      });
    }
    const res = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
    });
    expect(res.status).toBe(200);
  });
});

describe('signing in with a smart card', () => {
  const withCard = { CLIENT_CERT_ISSUERS: `CN=Some Other CA,C=SE;${ISSUER}` };

  it('signs in the person whose HSA-id the verified certificate carries', async () => {
    const unit = await seedUnit();
    const person = await seedPerson({ hsaId: HSA_ID, roles: { [unit.id]: 'manager' } });
    const res = await callApp('/api/people/session/certificate', {
      body: {},
      cf: card(),
      env: withCard,
    });
    expect(res.status).toBe(200);
    const view = await json(res);
    expect(view).toMatchObject({ id: person.id, method: 'certificate' });
    const cookie = cookieFrom(res);
    const me = await call('/api/people/session', { cookie });
    expect(me.status).toBe(200);
    expect((await json(me)).method).toBe('certificate');
    const [entry] = (await auditRows()).slice(-1);
    expect(entry).toMatchObject({ actor: `person:${person.id}`, outcome: 'success' });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ method: 'certificate' });
  });

  it('matches the HSA-id whatever its case in the certificate', async () => {
    const person = await seedPerson({ hsaId: HSA_ID });
    const res = await callApp('/api/people/session/certificate', {
      body: {},
      cf: card(HSA_ID.toLowerCase()),
      env: withCard,
    });
    expect(res.status).toBe(200);
    expect((await json(res)).id).toBe(person.id);
  });
});

describe('the session', () => {
  it('shows the person, their units with names and roles, and the session’s times', async () => {
    freezeClock();
    const a = await seedUnit('Hemtjänst Åby');
    const b = await seedUnit('Boende Berga');
    const person = await seedPerson({
      name: 'Anna Andersson',
      isAdmin: true,
      roles: { [a.id]: 'manager', [b.id]: 'delegate' },
    });
    const cookie = await personCookie(person.id, { verifiedAgoSeconds: 120, method: 'totp' });
    const res = await call('/api/people/session', { cookie });
    expect(res.status).toBe(200);
    const view = await json<v.InferOutput<typeof PersonView>>(res);
    expect(v.is(PersonView, view)).toBe(true);
    const verifiedAt = Math.floor(T0 / 1000) - 120;
    expect(view).toEqual({
      id: person.id,
      name: 'Anna Andersson',
      email: person.email,
      isAdmin: true,
      units: [
        { id: b.id, name: 'Boende Berga', role: 'delegate' },
        { id: a.id, name: 'Hemtjänst Åby', role: 'manager' },
      ],
      method: 'totp',
      verifiedAt: new Date(verifiedAt * 1000).toISOString(),
      freshUntil: new Date((verifiedAt + 600) * 1000).toISOString(),
      expiresAt: new Date((verifiedAt + 12 * 3600) * 1000).toISOString(),
    });
  });

  it('answers 401 without a cookie, or with one that names no session', async () => {
    expect((await call('/api/people/session')).status).toBe(401);
    const res = await call('/api/people/session', { cookie: '__Host-nyckel_person=nothing' });
    expect(res.status).toBe(401);
    expect((await json(res)).error).toBe('unauthorized');
  });

  it('does not take a mailbox session for a person’s', async () => {
    const person = await seedPerson();
    const cookie = await personCookie(person.id);
    const asMailbox = cookie.replace('nyckel_person', 'nyckel_mailbox');
    expect((await call('/api/people/session', { cookie: asMailbox })).status).toBe(401);
  });

  it('signs out: 204, the cookie cleared, the session revoked and audited', async () => {
    const { person, cookie } = await enrolledWithPasskey();
    const res = await call('/api/people/session', { method: 'DELETE', cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie')).toMatch(/__Host-nyckel_person=;.*Max-Age=0/);
    expect((await call('/api/people/session', { cookie })).status).toBe(401);
    const [entry] = (await auditRows()).slice(-1);
    expect(entry).toMatchObject({
      action: 'person.signout',
      actor: `person:${person.id}`,
      outcome: 'success',
    });
  });

  it('signs out without a session too (204, nothing to audit)', async () => {
    const res = await call('/api/people/session', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await auditRows()).toEqual([]);
  });

  it('ends after 30 idle minutes', async () => {
    freezeClock();
    const { cookie } = await enrolledWithPasskey();
    moveClock(29 * 60);
    expect((await call('/api/people/session', { cookie })).status).toBe(200);
    moveClock(29 * 60);
    expect((await call('/api/people/session', { cookie })).status).toBe(200);
    moveClock(30 * 60 + 1);
    expect((await call('/api/people/session', { cookie })).status).toBe(401);
  });

  it('ends after 12 hours even when in use', async () => {
    freezeClock();
    const { cookie } = await enrolledWithPasskey();
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      moveClock(25 * 60);
      expect((await call('/api/people/session', { cookie })).status).toBe(200);
    }
    vi.setSystemTime(T0 + 12 * 3600 * 1000);
    expect((await call('/api/people/session', { cookie })).status).toBe(401);
  });

  it('ends when the person is disabled', async () => {
    const { person, cookie } = await enrolledWithPasskey();
    await env.DB.prepare('UPDATE people SET disabled_at = 1 WHERE id = ?').bind(person.id).run();
    expect((await call('/api/people/session', { cookie })).status).toBe(401);
  });
});
