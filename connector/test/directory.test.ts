// The connector's directory operations against a real domain controller: the Samba AD DC of
// scripts/directory.mjs. Run under scripts/with-directory.mjs, which passes the DC's details in
// NYCKEL_TEST_DIRECTORY:
//   node scripts/with-directory.mjs node --import tsx --test connector/test/directory.test.ts
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Attribute, Change, Client } from 'ldapts';
import { withDeadline } from '../src/deadline';
import { Directory, type DirectoryConfig, DirectoryError, guidToString } from '../src/directory';

interface DemoAccount {
  dn: string;
  password: string;
  displayName: string;
}

interface TestDirectory {
  url: string;
  caFile: string;
  logFile: string;
  baseDn: string;
  ou: string;
  otherOu: string;
  adminDn: string;
  adminPassword: string;
  serviceDn: string;
  servicePassword: string;
  policy: {
    lockoutThreshold: number;
    lockoutDurationMinutes: number;
    observationWindowMinutes: number;
    historyLength: number;
    minPwdAgeDays: number;
    maxPwdAgeDays: number;
    minPwdLength: number;
    complexity: boolean;
  };
  accounts: Record<string, DemoAccount>;
}

const raw = process.env.NYCKEL_TEST_DIRECTORY;
if (!raw) {
  throw new Error(
    'NYCKEL_TEST_DIRECTORY is not set: run these tests under scripts/with-directory.mjs',
  );
}
const dc = JSON.parse(raw) as TestDirectory;

const account = (name: string): DemoAccount => {
  const found = dc.accounts[name];
  if (!found) throw new Error(`no demo account ${name}`);
  return found;
};
const mailbox = account('hemtjanstab');
const second = account('hemvardsgruppen');

const config = (overrides: Partial<DirectoryConfig> = {}): DirectoryConfig => ({
  url: dc.url,
  startTls: false,
  caFile: dc.caFile,
  bindDn: dc.serviceDn,
  bindPassword: dc.servicePassword,
  baseDn: dc.baseDn,
  ous: [dc.ou],
  userAttribute: 'sAMAccountName',
  timeoutMs: 5_000,
  ...overrides,
});

/** Resolves to the refusal code of a failed operation. */
async function refusedWith(operation: Promise<unknown>, code: string): Promise<DirectoryError> {
  const error = await operation.then(
    () => assert.fail(`expected a refusal with ${code}, but it succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DirectoryError, `not a DirectoryError: ${String(error)}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code} (${error.detail ?? ''})`);
  return error;
}

// The domain administrator: sets up states Nyckel cannot (locks, disabled accounts) and reads
// what the domain recorded.
const adminClient = () =>
  new Client({ url: dc.url, tlsOptions: { ca: readFileSync(dc.caFile) }, timeout: 5_000 });
let admin: Client;

async function adminModify(dn: string, attribute: string, value: string): Promise<void> {
  await admin.modify(dn, [
    new Change({
      operation: 'replace',
      modification: new Attribute({ type: attribute, values: [value] }),
    }),
  ]);
}

async function read(dn: string, attribute: string): Promise<string | undefined> {
  const { searchEntries } = await admin.search(dn, { scope: 'base', attributes: [attribute] });
  const value = searchEntries[0]?.[attribute];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : String(first);
}

async function guidOf(dn: string): Promise<string> {
  const { searchEntries } = await admin.search(dn, {
    scope: 'base',
    attributes: ['objectGUID'],
    explicitBufferAttributes: ['objectGUID'],
  });
  const value = searchEntries[0]?.objectGUID;
  assert.ok(Buffer.isBuffer(value));
  return guidToString(value);
}

/** A bind straight through ldapts, past Nyckel: how the tests make the domain lock an account. */
async function rawBind(dn: string, password: string): Promise<void> {
  const client = adminClient();
  try {
    await client.bind(dn, password);
  } catch {
    // The refusal is the point.
  } finally {
    await client.unbind().catch(() => {});
  }
}

async function lockByWrongBinds(dn: string): Promise<void> {
  for (let i = 0; i < dc.policy.lockoutThreshold; i++) await rawBind(dn, `fel-${i}`);
  assert.notEqual(await read(dn, 'lockoutTime'), '0', 'the domain should have locked it');
}

/** Samba's authentication audit lines (log level auth_audit:3) for simple binds as this DN. */
function bindsLogged(dn: string): number {
  return readFileSync(dc.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('simple bind') && line.includes(`[${dn}]`)).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// New passwords differ in every test: the domain keeps a history that a reset does not clear.
const fresh = () => `Ny-${randomBytes(6).toString('hex')}-Aa1`;
let next: string;
let later: string;

let resetDemoAccounts: () => void;
let directory: Directory;
let mailboxGuid: string;
let secondGuid: string;

before(async () => {
  // A plain-Node module without type declarations: loaded by path, its one export typed here.
  const modulePath = pathToFileURL(
    path.resolve(import.meta.dirname, '../../scripts/directory.mjs'),
  );
  const loaded: { resetDemoAccounts: () => void } = await import(modulePath.href);
  resetDemoAccounts = loaded.resetDemoAccounts;
  resetDemoAccounts();
  admin = adminClient();
  await admin.bind(dc.adminDn, dc.adminPassword);
  mailboxGuid = await guidOf(mailbox.dn);
  secondGuid = await guidOf(second.dn);
});

after(async () => {
  await directory?.close();
  resetDemoAccounts();
  await admin?.unbind();
});

beforeEach(async () => {
  // Each test starts from the demo accounts as provisioned, on a fresh service connection.
  resetDemoAccounts();
  next = fresh();
  later = fresh();
  await directory?.close();
  directory = new Directory(config());
});

describe('verify', () => {
  it('accepts the current password', async () => {
    await directory.verify(mailboxGuid, mailbox.password);
  });

  it('refuses a wrong password as wrong_password', async () => {
    await refusedWith(directory.verify(mailboxGuid, 'Inte-Rätt-1'), 'wrong_password');
  });

  it('refuses an empty password without an anonymous bind', async () => {
    await refusedWith(directory.verify(mailboxGuid, ''), 'wrong_password');
  });

  it('lets the domain count wrong passwords, and the right one clears the count', async () => {
    for (let i = 0; i < dc.policy.lockoutThreshold - 2; i++) {
      await refusedWith(directory.verify(mailboxGuid, `fel-${i}`), 'wrong_password');
    }
    assert.equal(await read(mailbox.dn, 'badPwdCount'), String(dc.policy.lockoutThreshold - 2));
    await directory.verify(mailboxGuid, mailbox.password);
    assert.equal(await read(mailbox.dn, 'badPwdCount'), '0');
  });

  it('never binds when one more wrong password would lock the account, so it never locks it', async () => {
    for (let i = 0; i < dc.policy.lockoutThreshold + 3; i++) {
      await directory.verify(mailboxGuid, `fel-${i}`).catch(() => {});
    }
    // The domain saw threshold − 1 failures and stopped there: the account is not locked.
    assert.equal(await read(mailbox.dn, 'badPwdCount'), String(dc.policy.lockoutThreshold - 1));
    assert.equal((await directory.find('hemtjanstab'))?.locked, false);
    await sleep(200);
    const before = bindsLogged(mailbox.dn);
    // Not even the right password is tried: its bind cannot be told from a wrong one's.
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'locked');
    await refusedWith(directory.change(mailboxGuid, mailbox.password, 'Nytt-Val-2026x'), 'locked');
    await sleep(200);
    assert.equal(bindsLogged(mailbox.dn), before, 'Nyckel bound one failure from the lockout');
    // A reset through Nyckel (by SMS code or on behalf) still gets the owner back in.
    const fresh = `Ater-${Date.now()}-Aa`;
    await directory.reset(mailboxGuid, fresh, false);
    await directory.verify(mailboxGuid, fresh);
  });

  it('never lets parallel wrong passwords lock the account: binds of one account queue', async () => {
    const tries = Array.from({ length: dc.policy.lockoutThreshold + 3 }, (_, i) =>
      directory.verify(mailboxGuid, `parallell-${i}`),
    );
    const outcomes = await Promise.allSettled(tries);
    assert.ok(outcomes.every((o) => o.status === 'rejected'));
    assert.equal(await read(mailbox.dn, 'badPwdCount'), String(dc.policy.lockoutThreshold - 1));
    assert.equal((await directory.find('hemtjanstab'))?.locked, false);
  });

  it('binds and writes nothing once the job has expired', async () => {
    const next = `Sen-${Date.now()}-Aa`;
    const late = Date.now() - 1;
    await refusedWith(
      withDeadline(late, () => directory.reset(mailboxGuid, next, false)),
      'expired_job',
    );
    await refusedWith(
      withDeadline(late, () => directory.verify(mailboxGuid, mailbox.password)),
      'expired_job',
    );
    await directory.verify(mailboxGuid, mailbox.password);
    await refusedWith(directory.verify(mailboxGuid, next), 'wrong_password');
  });

  it('answers locked for a locked account without binding as it', async () => {
    await lockByWrongBinds(mailbox.dn);
    await sleep(200);
    const before = bindsLogged(mailbox.dn);
    await refusedWith(directory.verify(mailboxGuid, 'fel-igen'), 'locked');
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'locked');
    await sleep(200);
    assert.equal(bindsLogged(mailbox.dn), before, 'Nyckel bound as a locked account');
    assert.equal(await read(mailbox.dn, 'badPwdCount'), String(dc.policy.lockoutThreshold));
  });

  it('answers must_change when the password is right but must be changed', async () => {
    await directory.mustChange(mailboxGuid);
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'must_change');
    await refusedWith(directory.verify(mailboxGuid, 'Inte-Rätt-1'), 'wrong_password');
  });

  it('answers disabled for a disabled account (data 533)', async () => {
    await adminModify(mailbox.dn, 'userAccountControl', '514');
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'disabled');
    assert.equal((await directory.find('hemtjanstab'))?.disabled, true);
  });

  it('answers account_expired for an expired account (data 701)', async () => {
    // 2012-12-16 as a Windows file time: long past.
    await adminModify(mailbox.dn, 'accountExpires', '130000000000000000');
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'account_expired');
  });
});

describe('change', () => {
  it('changes the password when the old one is right', async () => {
    await directory.change(mailboxGuid, mailbox.password, next);
    await directory.verify(mailboxGuid, next);
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'wrong_password');
  });

  it('refuses a wrong old password as wrong_password (00000056)', async () => {
    await refusedWith(directory.change(mailboxGuid, 'Inte-Rätt-1', next), 'wrong_password');
    await directory.verify(mailboxGuid, mailbox.password);
  });

  it('refuses a password from the history as domain_reused', async () => {
    // Windows answers the same 0000052D without the reason: domain_policy there.
    await directory.change(mailboxGuid, mailbox.password, next);
    const error = await refusedWith(
      directory.change(mailboxGuid, next, mailbox.password),
      'domain_reused',
    );
    assert.doesNotMatch(error.detail ?? '', /Brevlada/);
  });

  it('refuses a password the domain finds too short as domain_policy', async () => {
    await refusedWith(directory.change(mailboxGuid, mailbox.password, 'Kort-1'), 'domain_policy');
  });

  it('refuses a second change within the minimum age as domain_too_recent', async () => {
    await directory.change(mailboxGuid, mailbox.password, next);
    // One day, for this test only.
    await adminModify(dc.baseDn, 'minPwdAge', '-864000000000');
    try {
      await refusedWith(directory.change(mailboxGuid, next, later), 'domain_too_recent');
    } finally {
      await adminModify(dc.baseDn, 'minPwdAge', '0');
    }
  });

  it('works while the account must change its password and so cannot bind', async () => {
    await directory.mustChange(mailboxGuid);
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'must_change');
    await directory.change(mailboxGuid, mailbox.password, next);
    await directory.verify(mailboxGuid, next);
  });

  it('refuses a locked account without trying the old password', async () => {
    await lockByWrongBinds(mailbox.dn);
    await refusedWith(directory.change(mailboxGuid, mailbox.password, next), 'locked');
  });
});

describe('reset', () => {
  it("reports history 'none' on Samba, which ignores the policy-hints control", async () => {
    const result = await directory.reset(mailboxGuid, next, false);
    assert.deepEqual(result, { history: 'none' });
  });

  it('sets a password that binds, and the old one no longer does', async () => {
    await directory.reset(mailboxGuid, next, false);
    await directory.verify(mailboxGuid, next);
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'wrong_password');
  });

  it('unlocks a locked account', async () => {
    await lockByWrongBinds(mailbox.dn);
    assert.equal((await directory.find('hemtjanstab'))?.locked, true);
    await directory.reset(mailboxGuid, next, false);
    assert.equal((await directory.find('hemtjanstab'))?.locked, false);
    await directory.verify(mailboxGuid, next);
  });

  it('with mustChange, leaves a password that must be changed at next logon', async () => {
    await directory.reset(mailboxGuid, next, true);
    assert.equal(await read(mailbox.dn, 'pwdLastSet'), '0');
    await refusedWith(directory.verify(mailboxGuid, next), 'must_change');
    await directory.change(mailboxGuid, next, later);
    await directory.verify(mailboxGuid, later);
  });

  it('refuses a password the domain finds too short as domain_policy', async () => {
    await refusedWith(directory.reset(mailboxGuid, 'Kort-1', false), 'domain_policy');
    await directory.verify(mailboxGuid, mailbox.password);
  });

  it('refuses mustChange where the password never expires (the domain would ignore it)', async () => {
    // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
    await adminModify(mailbox.dn, 'userAccountControl', '66048');
    await refusedWith(directory.reset(mailboxGuid, next, true), 'directory_error');
    await refusedWith(directory.mustChange(mailboxGuid), 'directory_error');
    // Nothing was written.
    await directory.verify(mailboxGuid, mailbox.password);
  });
});

describe('unlock and mustChange', () => {
  it('unlock lifts the lock and the right password works again', async () => {
    await lockByWrongBinds(mailbox.dn);
    await refusedWith(directory.verify(mailboxGuid, mailbox.password), 'locked');
    await directory.unlock(mailboxGuid);
    await directory.verify(mailboxGuid, mailbox.password);
  });

  it('mustChange makes verify answer must_change', async () => {
    await directory.mustChange(secondGuid);
    await refusedWith(directory.verify(secondGuid, second.password), 'must_change');
  });
});

describe('scope', () => {
  it('find returns an account inside the OUs with its details', async () => {
    const found = await directory.find('hemtjanstab');
    assert.deepEqual(found, {
      guid: mailboxGuid,
      username: 'hemtjanstab',
      displayName: mailbox.displayName,
      dn: mailbox.dn,
      disabled: false,
      locked: false,
    });
  });

  it('find returns null for an account outside the OUs or none at all', async () => {
    assert.equal(await directory.find('utanfor'), null);
    assert.equal(await directory.find('finns-inte'), null);
    assert.equal(await directory.find('Administrator'), null);
  });

  it('find treats filter characters as text', async () => {
    assert.equal(await directory.find('*'), null);
    assert.equal(await directory.find('hemtjanst*'), null);
    assert.equal(await directory.find('x)(sAMAccountName=hemtjanstab'), null);
  });

  it('find refuses an administrative account inside the OUs', async () => {
    await refusedWith(directory.find('skyddad'), 'protected_account');
  });

  it('list returns the accounts of the OUs, administrative ones left out', async () => {
    const accounts = await directory.list();
    assert.deepEqual(
      accounts.map((a) => a.username),
      ['hemtjanstab', 'hemvardsgruppen'],
    );
    assert.deepEqual(
      (await directory.list(dc.ou.toUpperCase().replace(',', ', '))).map((a) => a.username),
      ['hemtjanstab', 'hemvardsgruppen'],
    );
  });

  it('list refuses an OU that is not configured', async () => {
    await refusedWith(directory.list(dc.otherOu), 'outside_scope');
    await refusedWith(directory.list(dc.baseDn), 'outside_scope');
  });

  it('refuses every operation on an account outside the OUs as outside_scope', async () => {
    const outside = await guidOf(account('utanfor').dn);
    const password = account('utanfor').password;
    await refusedWith(directory.verify(outside, password), 'outside_scope');
    await refusedWith(directory.change(outside, password, 'Ny-Utanfor-27'), 'outside_scope');
    await refusedWith(directory.reset(outside, 'Ny-Utanfor-27', false), 'outside_scope');
    await refusedWith(directory.unlock(outside), 'outside_scope');
    await refusedWith(directory.mustChange(outside), 'outside_scope');
  });

  it('refuses every operation on an administrative account as protected_account', async () => {
    const guarded = await guidOf(account('skyddad').dn);
    const password = account('skyddad').password;
    await refusedWith(directory.verify(guarded, password), 'protected_account');
    await refusedWith(directory.change(guarded, password, 'Ny-Skyddad-27'), 'protected_account');
    await refusedWith(directory.reset(guarded, 'Ny-Skyddad-27', false), 'protected_account');
    await refusedWith(directory.unlock(guarded), 'protected_account');
    await refusedWith(directory.mustChange(guarded), 'protected_account');
  });

  it('answers not_found for a GUID the domain does not have', async () => {
    await refusedWith(directory.verify(randomUUID(), 'Vad-som-helst-1'), 'not_found');
    await refusedWith(directory.reset(randomUUID(), 'Vad-som-helst-1', false), 'not_found');
  });

  it('answers insufficient_rights in a configured OU where nothing was delegated', async () => {
    const undelegated = new Directory(config({ ous: [dc.ou, dc.otherOu] }));
    try {
      const guid = await guidOf(account('odelegerad').dn);
      await refusedWith(undelegated.reset(guid, next, false), 'insufficient_rights');
      await refusedWith(undelegated.unlock(guid), 'insufficient_rights');
      await refusedWith(undelegated.mustChange(guid), 'insufficient_rights');
      // A change needs no delegation: AD lets anyone who knows the old password make it.
      await undelegated.change(guid, account('odelegerad').password, next);
    } finally {
      await undelegated.close();
    }
  });
});

describe('initial passwords of new hires', () => {
  it('sets the password with must-change, found by sAMAccountName', async () => {
    const result = await directory.initial('sAMAccountName', 'hemvardsgruppen', next);
    assert.deepEqual(result, { guid: secondGuid });
    assert.equal(await read(second.dn, 'pwdLastSet'), '0');
    // The password is right and must be changed: data 773, not 52e.
    await refusedWith(directory.verify(secondGuid, next), 'must_change');
    await refusedWith(directory.verify(secondGuid, second.password), 'wrong_password');
  });

  it('finds the account by the configured attribute, such as employeeID', async () => {
    const employeeId = `E${randomBytes(4).toString('hex')}`;
    await adminModify(second.dn, 'employeeID', employeeId);
    assert.deepEqual(await directory.initial('employeeID', employeeId, next), { guid: secondGuid });
    await refusedWith(directory.verify(secondGuid, next), 'must_change');
  });

  it('creates nothing: no such account, or one outside the OUs, is not_found', async () => {
    await refusedWith(directory.initial('sAMAccountName', 'nyanstalld-saknas', next), 'not_found');
    await refusedWith(directory.initial('sAMAccountName', 'utanfor', next), 'not_found');
    await refusedWith(directory.initial('sAMAccountName', 'hemvards*', next), 'not_found');
    // The account outside still has its own password.
    const outside = account('utanfor');
    const client = adminClient();
    try {
      await client.bind(outside.dn, outside.password);
    } finally {
      await client.unbind().catch(() => {});
    }
  });

  it('refuses an administrative account', async () => {
    await refusedWith(directory.initial('sAMAccountName', 'skyddad', next), 'protected_account');
  });

  it('password_state says must-change until the person chose their own password', async () => {
    await directory.initial('sAMAccountName', 'hemvardsgruppen', next);
    assert.deepEqual(await directory.passwordState([secondGuid]), [
      { guid: secondGuid, mustChange: true, passwordSetAt: null },
    ]);
    const before = Math.floor(Date.now() / 1000);
    await directory.change(secondGuid, next, later);
    const [state] = await directory.passwordState([secondGuid]);
    assert.equal(state?.mustChange, false);
    assert.ok(state?.passwordSetAt && state.passwordSetAt >= before - 5, 'set just now');
    assert.ok(state?.passwordSetAt && state.passwordSetAt <= Math.floor(Date.now() / 1000) + 5);
  });

  it('password_state leaves out accounts it does not find or may not see', async () => {
    const outside = await guidOf(account('utanfor').dn);
    const guarded = await guidOf(account('skyddad').dn);
    const states = await directory.passwordState([mailboxGuid, randomUUID(), outside, guarded]);
    assert.deepEqual(
      states.map((s) => s.guid),
      [mailboxGuid],
    );
    assert.equal(states[0]?.mustChange, false);
  });
});

describe('health', () => {
  it("reads the domain's policy as configured", async () => {
    const p = dc.policy;
    assert.deepEqual(await directory.health(), {
      lockoutThreshold: p.lockoutThreshold,
      lockoutDurationSeconds: p.lockoutDurationMinutes * 60,
      observationWindowSeconds: p.observationWindowMinutes * 60,
      minPasswordLength: p.minPwdLength,
      historyLength: p.historyLength,
      minPasswordAgeSeconds: p.minPwdAgeDays * 86_400,
      maxPasswordAgeSeconds: p.maxPwdAgeDays * 86_400,
      complexity: p.complexity,
    });
  });
});

describe('connections', () => {
  it('works over StartTLS on 389 as over LDAPS', async () => {
    const starttls = new Directory(config({ url: 'ldap://127.0.0.1:389', startTls: true }));
    try {
      // Twice: each connection needs its own TLS options object.
      await starttls.verify(mailboxGuid, mailbox.password);
      await starttls.verify(mailboxGuid, mailbox.password);
      assert.equal((await starttls.health()).lockoutThreshold, dc.policy.lockoutThreshold);
    } finally {
      await starttls.close();
    }
  });

  it('refuses plain LDAP without StartTLS', () => {
    assert.throws(
      () => new Directory(config({ url: 'ldap://127.0.0.1:389', startTls: false })),
      DirectoryError,
    );
  });

  it('answers unavailable when no domain controller listens', async () => {
    const nowhere = new Directory(config({ url: 'ldaps://127.0.0.1:1', timeoutMs: 2_000 }));
    await refusedWith(nowhere.health(), 'unavailable');
    await nowhere.close();
  });

  it('reports a certificate it cannot verify as directory_error, not an outage', async () => {
    const untrusted = new Directory(config({ caFile: undefined }));
    const error = await refusedWith(untrusted.health(), 'directory_error');
    assert.match(error.detail ?? '', /^TLS: /);
    await untrusted.close();
  });

  it("reports a refused service account as directory_error, never as the user's password", async () => {
    const wrong = new Directory(config({ bindPassword: 'inte-tjanstelosen' }));
    const error = await refusedWith(wrong.verify(mailboxGuid, mailbox.password), 'directory_error');
    assert.match(error.detail ?? '', /service account/);
    await wrong.close();
  });

  it('reconnects after its service connection was closed', async () => {
    await directory.health();
    await directory.close();
    await directory.health();
    await directory.verify(mailboxGuid, mailbox.password);
  });

  it('runs operations side by side on one service connection', async () => {
    const results = await Promise.all([
      directory.find('hemtjanstab'),
      directory.find('hemvardsgruppen'),
      directory.health(),
      directory.verify(mailboxGuid, mailbox.password),
      directory.list(),
    ]);
    assert.equal(results.length, 5);
  });
});
