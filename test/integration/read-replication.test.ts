import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BOOKMARK_HEADER, isBookmark } from '../../worker/domain/d1-bookmark';
import { type CallOptions, call, callWith, json, login, seedMailbox } from '../helpers';

/*
 * D1 read replication through the Sessions API: a request that only reads may be answered by
 * a replica, from the bookmark the web app sends on; a request that writes starts at the
 * primary. Local D1 has no replicas, so what is checked here is the part Nyckel owns: every
 * answer carries its bookmark in a header (never a cookie), the next request's session starts
 * from it, and a bookmark the client made up is ignored, never an error.
 */

const NEW_PASSWORD = 'Ny-Kanin#2027';

/** The bindings with every `withSession` recorded: how each request opened its session. */
function recordingSessions(): { env: Env; opened: string[] } {
  const opened: string[] = [];
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'withSession') {
        return (constraintOrBookmark: string) => {
          opened.push(constraintOrBookmark);
          return target.withSession(constraintOrBookmark);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { env: { ...env, DB: db }, opened };
}

function bookmarkOf(res: Response): string {
  const value = res.headers.get(BOOKMARK_HEADER);
  expect(isBookmark(value), `${BOOKMARK_HEADER}: ${value}`).toBe(true);
  return value ?? '';
}

function withBookmark(bookmark: string, options: CallOptions = {}): CallOptions {
  return { ...options, headers: { ...options.headers, [BOOKMARK_HEADER]: bookmark } };
}

describe('read-your-writes across requests', () => {
  it('a GET sent with the bookmark of a password change sees the change', async () => {
    const mailbox = await seedMailbox();
    const longAgo = Math.floor(Date.now() / 1000) - 100 * 86_400;
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(longAgo, mailbox.id)
      .run();
    const cookie = await login(mailbox);

    const changed = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: NEW_PASSWORD },
      cookie,
    });
    expect(changed.status).toBe(204);
    const afterWrite = bookmarkOf(changed);
    const current = (changed.headers.get('Set-Cookie') ?? '').split(';')[0] || cookie;

    const read = await call('/api/mailbox', withBookmark(afterWrite, { cookie: current }));
    expect(read.status).toBe(200);
    const view = await json<{ passwordChangedAt: string }>(read);
    expect(Date.parse(view.passwordChangedAt) / 1000).toBeGreaterThan(longAgo + 86_400);
    // The read's own bookmark is never older than the one it was sent with.
    expect(bookmarkOf(read) >= afterWrite).toBe(true);
  });

  it('a write moves the bookmark on, and the next read starts its session from it', async () => {
    const mailbox = await seedMailbox();
    const recorded = recordingSessions();
    const signedIn = await callWith(recorded.env, '/api/mailbox/session', {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(signedIn.status).toBe(200);
    const cookie = (signedIn.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const first = bookmarkOf(signedIn);

    const changed = await callWith(recorded.env, '/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: NEW_PASSWORD },
      cookie,
    });
    expect(changed.status).toBe(204);
    const second = bookmarkOf(changed);
    expect(second > first).toBe(true);

    const current = (changed.headers.get('Set-Cookie') ?? '').split(';')[0] || cookie;
    const read = await callWith(
      recorded.env,
      '/api/mailbox',
      withBookmark(second, { cookie: current }),
    );
    expect(read.status).toBe(200);
    // Writes start at the primary; the read starts no earlier than the write it follows.
    expect(recorded.opened).toEqual(['first-primary', 'first-primary', second]);
  });

  it('a read sent without a bookmark may be answered by any replica', async () => {
    const recorded = recordingSessions();
    const res = await callWith(recorded.env, '/api/policy');
    expect(res.status).toBe(200);
    expect(recorded.opened).toEqual(['first-unconstrained']);
  });

  it('a write starts at the primary whatever bookmark it is sent with', async () => {
    const recorded = recordingSessions();
    const stale = '00000000-00000001-00000000-00000000000000000000000000000000';
    const res = await callWith(
      recorded.env,
      '/api/resets',
      withBookmark(stale, { body: { username: 'finns-inte' } }),
    );
    expect(res.status).toBe(202);
    expect(recorded.opened).toEqual(['first-primary']);
  });
});

describe('a bookmark the client made up', () => {
  const malformed = [
    ['not a bookmark', 'garbage'],
    ['a constraint instead of a bookmark', 'first-primary'],
    ['SQL', "00000000'; DROP TABLE mailboxes; --"],
    ['upper-case hex', '0000000A-00000010-00000000-00000000000000000000000000000000'],
    ['a field too long', '00000000-00000010-00000000-000000000000000000000000000000000'],
    ['far too long', `${'0'.repeat(8)}-${'f'.repeat(4000)}`],
  ];

  it.each(malformed)(
    'is ignored when it is %s: the read is answered as without one',
    async (_label, value) => {
      const recorded = recordingSessions();
      const res = await callWith(recorded.env, '/api/network', withBookmark(value ?? ''));
      expect(res.status).toBe(200);
      expect(recorded.opened).toEqual(['first-unconstrained']);
      expect(res.headers.get(BOOKMARK_HEADER)).not.toBe(value);

      const direct = await call('/api/network', withBookmark(value ?? ''));
      expect(direct.status).toBe(200);
      expect(direct.headers.get(BOOKMARK_HEADER)).not.toBe(value);
    },
  );
});

describe('the bookmark on the wire', () => {
  it('travels in its own header and never as a cookie, also on a refused sign-in', async () => {
    const mailbox = await seedMailbox();
    const refused = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password: 'Fel-Losenord-9' },
    });
    expect(refused.status).toBe(401);
    bookmarkOf(refused);
    expect(refused.headers.get('Set-Cookie')).toBeNull();

    const signedIn = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(signedIn.status).toBe(200);
    bookmarkOf(signedIn);
    const cookies = signedIn.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^__Host-nyckel_mailbox=/);
    // Still a no-store answer: a bookmark is never cached for anyone else.
    expect(signedIn.headers.get('Cache-Control')).toBe('no-store');
  });

  it('is not sent on an answer that asked D1 nothing', async () => {
    const res = await call('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get(BOOKMARK_HEADER)).toBeNull();
  });
});
