// The mapping from what a domain controller answers to Nyckel's closed set of refusals. The
// texts marked "Windows" are what Windows Server domain controllers send and Samba (the test
// DC in directory.test.ts) never does; the others were seen from Samba 4.17 here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  UnavailableError,
  UnwillingToPerformError,
} from 'ldapts';
import { refusal, serverText } from '../src/refusals';

const samba = (data: string) =>
  `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`;
// Windows: the same shape, another DSID and version.
const windows = (data: string) =>
  `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${data}, v4563`;

const socketError = (code: string, message = `connect ${code} 10.0.0.1:636`) =>
  Object.assign(new Error(message), { code });

describe('refused binds', () => {
  it('maps data 52e to wrong_password', () => {
    assert.deepEqual(refusal(new InvalidCredentialsError(samba('52e'))), {
      code: 'wrong_password',
    });
    assert.deepEqual(refusal(new InvalidCredentialsError(windows('52e'))), {
      code: 'wrong_password',
    });
  });

  it('maps data 775 to locked', () => {
    assert.equal(refusal(new InvalidCredentialsError(samba('775'))).code, 'locked');
  });

  it('maps data 773 (must change at next logon) to must_change', () => {
    assert.equal(refusal(new InvalidCredentialsError(samba('773'))).code, 'must_change');
  });

  it('maps data 532 (password expired) to must_change (Windows; not produced here)', () => {
    assert.equal(refusal(new InvalidCredentialsError(windows('532'))).code, 'must_change');
  });

  it('maps data 533 to disabled', () => {
    assert.equal(refusal(new InvalidCredentialsError(samba('533'))).code, 'disabled');
  });

  it('maps data 701 to account_expired', () => {
    assert.equal(refusal(new InvalidCredentialsError(samba('701'))).code, 'account_expired');
  });

  it('maps an unknown data code to directory_error naming it (Windows 530: logon hours)', () => {
    const mapped = refusal(new InvalidCredentialsError(windows('530')));
    assert.equal(mapped.code, 'directory_error');
    assert.match(mapped.detail ?? '', /data 530/);
  });

  it('maps invalidCredentials without a data code to wrong_password', () => {
    assert.equal(
      refusal(new InvalidCredentialsError('Invalid credentials')).code,
      'wrong_password',
    );
  });

  it("never reports the service account's refused bind as the user's wrong password", () => {
    const mapped = refusal(new InvalidCredentialsError(samba('52e')), 'service');
    assert.equal(mapped.code, 'directory_error');
    assert.match(mapped.detail ?? '', /service account could not bind \(data 52e\)/);
    assert.equal(
      refusal(new InvalidCredentialsError(samba('775')), 'service').code,
      'directory_error',
    );
  });
});

describe('refused password changes', () => {
  it('maps 00000056 (the old password is wrong) to wrong_password', () => {
    const text =
      "00000056: Constraint violation - check_password_restrictions: The old password specified doesn't match!";
    assert.deepEqual(refusal(new ConstraintViolationError(text)), { code: 'wrong_password' });
  });

  it('maps the Windows 00000056 text to wrong_password (Windows)', () => {
    const text =
      '00000056: AtrErr: DSID-03191083, #1:\n\t0: 00000056: DSID-03191083, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n';
    assert.equal(refusal(new ConstraintViolationError(text)).code, 'wrong_password');
  });

  it("maps Samba's 0000052D history text to domain_reused", () => {
    const text =
      '0000052D: Constraint violation - check_password_restrictions: the password was already used (in history)!';
    const mapped = refusal(new ConstraintViolationError(text));
    assert.equal(mapped.code, 'domain_reused');
    assert.equal(mapped.detail, text);
  });

  it("maps Samba's 0000052D minimum-age text to domain_too_recent", () => {
    const text =
      '0000052D: Constraint violation - check_password_restrictions: password is too young to change!';
    assert.equal(refusal(new ConstraintViolationError(text)).code, 'domain_too_recent');
  });

  it("maps Samba's other 0000052D texts (length, complexity) to domain_policy", () => {
    for (const reason of [
      'the password is too short. It should be equal or longer than 7 characters!',
      'the password does not meet the complexity criteria!',
    ]) {
      const text = `0000052D: Constraint violation - check_password_restrictions: ${reason}`;
      assert.equal(refusal(new ConstraintViolationError(text)).code, 'domain_policy');
    }
  });

  it('maps the Windows 0000052D text, which gives no reason, to domain_policy (Windows)', () => {
    const text =
      '0000052D: AtrErr: DSID-03191083, #1:\n\t0: 0000052D: DSID-03191083, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n';
    const mapped = refusal(new ConstraintViolationError(text));
    assert.equal(mapped.code, 'domain_policy');
    assert.doesNotMatch(mapped.detail ?? '', /\n/);
  });

  it('maps insufficientAccessRights to insufficient_rights, Samba and Windows', () => {
    for (const text of [
      'error in module acl: insufficient access rights during LDB_MODIFY (50)',
      '00002098: Object CN=x,OU=Brevlador,DC=nyckel,DC=test has no write property access',
      // Windows
      '00000005: SecErr: DSID-03152E29, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n',
    ]) {
      assert.equal(refusal(new InsufficientAccessError(text)).code, 'insufficient_rights');
    }
  });

  it('maps unwillingToPerform (Windows: a password over an unencrypted connection) to directory_error', () => {
    const text = '0000001F: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0\n';
    const mapped = refusal(new UnwillingToPerformError(text));
    assert.equal(mapped.code, 'directory_error');
    assert.match(mapped.detail ?? '', /^unwillingToPerform: 0000001F/);
  });
});

describe('no answer', () => {
  it('maps refused and timed-out connections to unavailable', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET']) {
      assert.deepEqual(refusal(socketError(code)), { code: 'unavailable', detail: code });
    }
  });

  it("maps ldapts' own timeouts and dropped connections to unavailable", () => {
    for (const message of [
      'Connection timeout',
      'SearchRequest: Operation timed out',
      'Connection closed before message response was received. Message type: ModifyRequest (0x66)',
      'Socket connection not established',
    ]) {
      assert.equal(refusal(new Error(message)).code, 'unavailable', message);
    }
  });

  it('maps busy and unavailable results to unavailable', () => {
    assert.equal(refusal(new BusyError('busy')).code, 'unavailable');
    assert.equal(refusal(new UnavailableError('shutting down')).code, 'unavailable');
  });

  it('maps a certificate that does not verify to directory_error, not unavailable', () => {
    for (const code of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'CERT_HAS_EXPIRED',
    ]) {
      assert.deepEqual(refusal(socketError(code, 'tls')), {
        code: 'directory_error',
        detail: `TLS: ${code}`,
      });
    }
  });
});

describe('anything else', () => {
  it('maps other results to directory_error with the result name and a short text', () => {
    const mapped = refusal(new ConstraintViolationError('some other constraint'));
    assert.equal(mapped.code, 'directory_error');
    assert.equal(mapped.detail, 'constraintViolation: some other constraint');
  });

  it('keeps the detail on one line, without ldapts’ code suffix, and bounded', () => {
    const mapped = refusal(new ConstraintViolationError(`line one\nline two ${'x'.repeat(500)}`));
    assert.ok((mapped.detail ?? '').length <= 200);
    assert.doesNotMatch(mapped.detail ?? '', /\n|Code: 0x/);
    assert.equal(serverText('text Code: 0x13'), 'text');
  });

  it('maps something that is not an Error to directory_error', () => {
    assert.equal(refusal('weird').code, 'directory_error');
    assert.equal(refusal(undefined).code, 'directory_error');
  });
});
