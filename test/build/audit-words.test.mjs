// Every action the worker writes to the audit log has words in Swedish and English, so
// neither log ever shows a bare code such as `handover.sms`. The codes are read from the
// source: string literals on the lines that pass an action to the log (`action: '…'`, a
// ternary of two, or the action argument of people-auth's throttle and invite checks).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AUDIT_ACTIONS } from '../../worker/domain/audit-words.ts';

const worker = path.resolve(import.meta.dirname, '..', '..', 'worker');
const ACTION_LINE = /\baction\b|[tT]hrottle\w*\(|usableInvite\(|record\(/;
const CODE = /'([a-z_]+(?:\.[a-z_]+)+)'/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function writtenActions() {
  const found = new Map();
  for (const file of sources(worker)) {
    for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
      if (!ACTION_LINE.test(line)) continue;
      for (const [, code] of line.matchAll(CODE)) {
        if (!found.has(code)) found.set(code, `${path.relative(worker, file)}:${index + 1}`);
      }
    }
  }
  return found;
}

describe('audit action words', () => {
  it('finds the actions the worker writes (the scan still works)', () => {
    const found = writtenActions();
    for (const code of [
      'mailbox.login',
      'handover.sms',
      'person.admin.grant',
      'person.invite.open',
    ]) {
      assert.ok(found.has(code), `${code} is found in worker/`);
    }
  });

  it('has a Swedish and an English label for every action written anywhere in worker/', () => {
    const missing = [...writtenActions()]
      .filter(([code]) => !AUDIT_ACTIONS[code]?.sv?.trim() || !AUDIT_ACTIONS[code]?.en?.trim())
      .map(([code, where]) => `${code} (${where})`);
    assert.deepEqual(missing, [], 'add these to worker/domain/audit-words.ts');
  });
});
