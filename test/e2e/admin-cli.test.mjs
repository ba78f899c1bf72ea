// The first administrator, as the README tells a newcomer: `npm run admin -- invite <e-mail>`
// against a fresh local database prints an enrolment link whose token D1 holds only as a
// SHA-256, for a person who is an administrator; asking again revokes the earlier link.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', PORT: '' };
const bin = (name) => path.join('node_modules', '.bin', name);
let state = '';

function admin(...args) {
  return spawnSync(bin('tsx'), ['scripts/admin.ts', ...args], { env, encoding: 'utf8' });
}

function query(sql) {
  const out = execFileSync(
    bin('wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--json', '--command', sql],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out.slice(out.indexOf('[')));
}

function linkOf(stdout) {
  const match = /(https?:\/\/\S+)\/inbjudan#([A-Za-z0-9_-]{43})\s/.exec(stdout);
  assert.ok(match, `no link in:\n${stdout}`);
  return { origin: match[1], token: match[2] };
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

describe('npm run admin -- invite', { timeout: 120_000 }, () => {
  before(() => {
    state = mkdtempSync(path.join(tmpdir(), 'nyckel-admin-'));
    execFileSync(
      bin('wrangler'),
      ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
      {
        env,
        stdio: 'ignore',
      },
    );
  });

  after(() => rmSync(state, { recursive: true, force: true }));

  it('prints usage and exits 2 without an e-mail, or with a bad one', () => {
    for (const args of [['invite'], ['invite', 'not-an-address'], ['remove', 'a@b.se']]) {
      const run = admin(...args);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /Usage: npm run admin -- invite <e-mail>/);
    }
  });

  it('creates the administrator, stores only the digest of the link, and revokes on a new invite', () => {
    const first = admin(
      'invite',
      'Anna.Admin@Example.se',
      '--name',
      'Anna Admin',
      '--persist-to',
      state,
    );
    assert.equal(first.status, 0, first.stderr);
    const one = linkOf(first.stdout);
    // Locally the link points at `npm start` (PUBLIC_ORIGIN of .dev.vars).
    assert.match(one.origin, /^http:\/\/localhost:\d+$/);
    assert.match(first.stdout, /New person, created as an administrator/);

    const second = admin('invite', 'anna.admin@example.se', '--persist-to', state);
    assert.equal(second.status, 0, second.stderr);
    const two = linkOf(second.stdout);
    assert.notEqual(two.token, one.token);

    const [people, invites, audit, everything] = query(
      `SELECT id, name, email, is_admin, disabled_at FROM people;
       SELECT token_hash, person_id, expires_at - created_at AS life, used_at, revoked_at
         FROM invites ORDER BY rowid;
       SELECT actor, action, target, detail FROM audit ORDER BY id;
       SELECT * FROM invites, audit`,
    );
    assert.equal(people.results.length, 1);
    const [person] = people.results;
    assert.deepEqual(
      {
        name: person.name,
        email: person.email,
        isAdmin: person.is_admin,
        disabled: person.disabled_at,
      },
      { name: 'Anna Admin', email: 'anna.admin@example.se', isAdmin: 1, disabled: null },
    );
    assert.equal(invites.results.length, 2);
    const [old, current] = invites.results;
    assert.equal(old.token_hash, sha256(one.token));
    assert.notEqual(old.revoked_at, null);
    assert.equal(current.token_hash, sha256(two.token));
    assert.equal(current.revoked_at, null);
    assert.equal(current.used_at, null);
    assert.equal(current.person_id, person.id);
    assert.equal(current.life, 72 * 3600);
    // The token itself is nowhere in the database.
    const stored = JSON.stringify(everything);
    assert.ok(!stored.includes(one.token) && !stored.includes(two.token));
    assert.equal(audit.results.length, 2);
    assert.deepEqual(audit.results[1], {
      actor: 'system',
      action: 'invite.create',
      target: `person:${person.id}`,
      detail: '{"via":"cli","isAdmin":true}',
    });
  });
});
