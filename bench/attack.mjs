// The attack run of `npm run bench` (also alone: `npm run bench:attack`): the app as
// `npm start` runs it, with its real budgets, against 10 mailboxes. 1,000 requests from 50
// networks (25 IPv4 addresses, 25 IPv6 /64s, each request from a fresh address inside its
// /64) alternate wrong-password sign-ins and reset starts over the 10 accounts, while every
// owner signs in from a network of its own after each 100 attack requests. Reported: the
// owners' success rate (goal 100 %), the reset texts per number and network (goal at most 3
// an hour), and how many guesses were actually checked per account. Results go to
// bench/results-attack.json (git-ignored).
import { writeFileSync } from 'node:fs';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../scripts/local-app.mjs';
import { adminInviteToken, enrolWithTotp } from '../test/browser/harness.mjs';

const ACCOUNTS = 10;
const NETWORKS = 50;
const REQUESTS = 1000;

function networkAddress(n, i) {
  // Even networks IPv4, odd ones an IPv6 /64 with a new interface id every request.
  return n % 2 === 0
    ? `203.0.113.${n + 1}`
    : `2001:db8:${(n + 1).toString(16)}:1::${(i + 1).toString(16)}`;
}
const ownerAddress = (k) => `198.51.100.${k + 1}`;

export async function benchAttack() {
  const app = await startLocalApp({ portBase: 38_000 });
  try {
    const post = async (route, body, ip, cookie) => {
      const res = await fetch(`${app.base}${route}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'CF-Connecting-IP': ip,
          ...(cookie ? { Cookie: cookie } : {}),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    };

    // Ten mailboxes, each with its own number, as an administrator and the owners would.
    const token = adminInviteToken(app, { email: 'bench.admin@example.se', name: 'Bänk Admin' });
    const { cookie } = await enrolWithTotp(app.localhost, `${app.localhost}/inbjudan#${token}`);
    const accounts = [];
    for (let k = 0; k < ACCOUNTS; k++) {
      const account = {
        username: `attackbox${k}`,
        password: `Bank-Ratt-${k}-Losen`,
        phone: `+4670555${String(k).padStart(4, '0')}`,
      };
      const made = await fetch(`${app.localhost}/api/admin/mailboxes`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Origin: app.localhost,
          Cookie: `nyckel_person=${cookie}`,
        },
        body: JSON.stringify({
          username: account.username,
          displayName: `Bänkbrevlåda ${k}`,
          unitId: 'demo-unit-aby',
          password: account.password,
        }),
      });
      if (made.status !== 201) throw new Error(`mailbox: ${made.status} ${await made.text()}`);
      const session = await post(
        '/api/mailbox/session',
        { username: account.username, password: account.password },
        ownerAddress(k),
      );
      const own = session.headers.get('set-cookie')?.split(';')[0] ?? '';
      const before = await outboxSnapshot(app.base);
      const asked = await fetch(`${app.base}/api/mailbox/phone`, {
        method: 'PUT',
        headers: {
          'Content-Type': 'application/json',
          'CF-Connecting-IP': ownerAddress(k),
          Cookie: own,
        },
        body: JSON.stringify({ phone: account.phone }),
      });
      if (asked.status !== 202) throw new Error(`phone: ${asked.status} ${await asked.text()}`);
      const code = await codeFromOutbox(app.base, account.phone, before);
      const verified = await post('/api/mailbox/phone/verify', { code }, ownerAddress(k), own);
      if (verified.status !== 200) throw new Error(`verify: ${verified.status}`);
      accounts.push(account);
    }
    const smsBefore = await outboxSnapshot(app.base);

    const checked = new Array(ACCOUNTS).fill(0);
    const statuses = {};
    const owners = { tries: 0, succeeded: 0, waitedSeconds: 0 };
    const started = Date.now();
    for (let i = 0; i < REQUESTS; i++) {
      const k = i % ACCOUNTS;
      const n = Math.floor(i / 2) % NETWORKS;
      const ip = networkAddress(n, i);
      const account = accounts[k];
      const res =
        i % 2 === 0
          ? await post(
              '/api/mailbox/session',
              { username: account.username, password: `Fel-${i}` },
              ip,
            )
          : await post('/api/resets', { username: account.username }, ip);
      const kind = i % 2 === 0 ? 'signIn' : 'reset';
      statuses[`${kind} ${res.status}`] = (statuses[`${kind} ${res.status}`] ?? 0) + 1;
      if (kind === 'signIn' && res.status === 401) checked[k]++;
      if ((i + 1) % 100 === 0) {
        for (const [o, owner] of accounts.entries()) {
          owners.tries++;
          const ok = await post(
            '/api/mailbox/session',
            { username: owner.username, password: owner.password },
            ownerAddress(o),
          );
          if (ok.status === 200) owners.succeeded++;
          else if (ok.body?.retryAfter) owners.waitedSeconds += ok.body.retryAfter;
        }
      }
    }
    const seconds = (Date.now() - started) / 1000;

    // Reset texts per number: every other account is reset-attacked, each from 10 networks.
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    const fresh = outbox.filter((m) => m.channel === 'sms' && !smsBefore.has(m.createdAt + m.body));
    const perNumber = accounts.map((a) => fresh.filter((m) => m.to === a.phone).length);
    const networksPerNumber = new Set(
      Array.from({ length: REQUESTS }, (_, i) => i)
        .filter((i) => i % 2 === 1 && i % ACCOUNTS === 1)
        .map((i) => Math.floor(i / 2) % NETWORKS),
    ).size;
    const result = {
      requests: REQUESTS,
      networks: NETWORKS,
      accounts: ACCOUNTS,
      seconds,
      statuses,
      owners: { ...owners, successRate: owners.succeeded / owners.tries },
      guessesCheckedPerAccount: checked,
      resetTextsPerNumber: perNumber,
      networksTargetingEachNumber: networksPerNumber,
      // At most 3 per number and network: the most any number got, against that bound.
      mostTextsToOneNumber: Math.max(...perNumber),
      boundForOneNumber: 3 * networksPerNumber,
    };
    writeFileSync('bench/results-attack.json', `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAttack();
  console.log(JSON.stringify(result, null, 2));
}
