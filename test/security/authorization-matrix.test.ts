import { describe, expect, it } from 'vitest';
import { app } from '../../worker/index';
import { registeredKeys } from '../directory-helpers';
import { seedHandover, seedOffer, seedStaff } from '../handover-helpers';
import { call, login, seedMailbox } from '../helpers';
import { dayFromToday, identityBody, integrationCall, seedServiceToken } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * The authorization matrix: every manager and admin route, called as each kind of
 * caller, with the status each must get. The world is the same for every cell: unit A with a
 * mailbox, a manager, a delegate and a second delegate to revoke; unit B with its own manager;
 * an administrator; a mailbox session. Sessions are fresh, so step-up is not what decides
 * (the step-up refusals have their own tests). A route the app registers under /api/manager
 * or /api/admin that is missing here fails the last test.
 */

type Caller = 'anonymous' | 'mailbox' | 'delegateA' | 'managerA' | 'managerB' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'mailbox', 'delegateA', 'managerA', 'managerB', 'admin'];

interface World {
  unitA: string;
  unitB: string;
  mailboxA: string;
  delegateA: string;
  otherDelegateA: string;
  managerB: string;
  identityA: string;
  serviceToken: string;
  staffA: string;
  /** A share offer of mailbox A's password per caller who may set one (only its setter may share it). */
  offers: Partial<Record<Caller, string>>;
  handoverA: string;
  linkA: string;
}

/** One new hire for unit A, as a CSV file. */
function hiresCsv(w: World): string {
  return `Användar-id;Personnummer;Förnamn;Efternamn;Enhet;Startdatum;Status\nakeost02;811228-9874;Åke;Öst;${w.unitA};${dayFromToday(5)};ny\n`;
}

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as registered, for the completeness check. */
  route: string;
  path: (w: World) => string;
  body?: (w: World, caller: Caller) => unknown;
  expect: Record<Caller, number>;
}

const SIGNED_OUT = { anonymous: 401, mailbox: 401 };
/** Any unit member may; a manager of another unit does not learn the id exists. */
const UNIT_MEMBERS = (ok: number) => ({
  ...SIGNED_OUT,
  delegateA: ok,
  managerA: ok,
  managerB: 404,
  admin: ok,
});
/** Managers of the unit and administrators; a delegate is told no. */
const UNIT_MANAGERS = (ok: number) => ({ ...UNIT_MEMBERS(ok), delegateA: 403 });
const ADMINS = (ok: number) => ({
  ...SIGNED_OUT,
  delegateA: 403,
  managerA: 403,
  managerB: 403,
  admin: ok,
});

const MATRIX: Row[] = [
  {
    method: 'GET',
    route: '/api/manager/overview',
    path: () => '/api/manager/overview',
    // Everyone signed in has a home; what it lists is checked below.
    expect: { ...SIGNED_OUT, delegateA: 200, managerA: 200, managerB: 200, admin: 200 },
  },
  {
    method: 'GET',
    route: '/api/manager/mailboxes/:id',
    path: (w) => `/api/manager/mailboxes/${w.mailboxA}`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/manager/mailboxes/:id/unlock',
    path: (w) => `/api/manager/mailboxes/${w.mailboxA}/unlock`,
    body: () => ({}),
    expect: UNIT_MEMBERS(204),
  },
  {
    method: 'POST',
    route: '/api/manager/mailboxes/:id/password',
    path: (w) => `/api/manager/mailboxes/${w.mailboxA}/password`,
    body: () => ({}),
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'GET',
    route: '/api/manager/units/:id',
    path: (w) => `/api/manager/units/${w.unitA}`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/manager/units/:id/delegates',
    path: (w) => `/api/manager/units/${w.unitA}/delegates`,
    body: () => ({ name: 'Ny Delegat', email: 'ny.delegat@example.se' }),
    expect: UNIT_MANAGERS(201),
  },
  {
    method: 'DELETE',
    route: '/api/manager/units/:id/delegates/:personId',
    path: (w) => `/api/manager/units/${w.unitA}/delegates/${w.otherDelegateA}`,
    expect: UNIT_MANAGERS(204),
  },
  {
    method: 'GET',
    route: '/api/manager/units/:id/audit',
    path: (w) => `/api/manager/units/${w.unitA}/audit`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'GET',
    route: '/api/manager/units/:id/routine',
    path: (w) => `/api/manager/units/${w.unitA}/routine`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'GET',
    route: '/api/manager/units/:id/staff',
    path: (w) => `/api/manager/units/${w.unitA}/staff`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/manager/units/:id/staff',
    path: (w) => `/api/manager/units/${w.unitA}/staff`,
    body: () => ({ name: 'Ny Personal', phone: '070-123 45 99' }),
    expect: UNIT_MEMBERS(201),
  },
  {
    method: 'PATCH',
    route: '/api/manager/units/:id/staff/:staffId',
    path: (w) => `/api/manager/units/${w.unitA}/staff/${w.staffA}`,
    body: () => ({ name: 'Nytt Namn' }),
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'DELETE',
    route: '/api/manager/units/:id/staff/:staffId',
    path: (w) => `/api/manager/units/${w.unitA}/staff/${w.staffA}`,
    expect: UNIT_MEMBERS(204),
  },
  {
    method: 'GET',
    route: '/api/manager/mailboxes/:id/handovers',
    path: (w) => `/api/manager/mailboxes/${w.mailboxA}/handovers`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/manager/mailboxes/:id/handovers',
    path: (w) => `/api/manager/mailboxes/${w.mailboxA}/handovers`,
    body: (w, caller) => ({ shareOfferId: w.offers[caller] ?? 'no-offer-for-this-caller' }),
    expect: UNIT_MEMBERS(201),
  },
  {
    method: 'POST',
    route: '/api/manager/mailboxes/:id/handovers/:handoverId/links/:linkId/resend',
    path: (w) =>
      `/api/manager/mailboxes/${w.mailboxA}/handovers/${w.handoverA}/links/${w.linkA}/resend`,
    body: () => ({}),
    expect: UNIT_MEMBERS(200),
  },
  { method: 'GET', route: '/api/admin/units', path: () => '/api/admin/units', expect: ADMINS(200) },
  {
    method: 'POST',
    route: '/api/admin/units',
    path: () => '/api/admin/units',
    body: () => ({ name: 'Hemtjänst Nord' }),
    expect: ADMINS(201),
  },
  {
    method: 'PATCH',
    route: '/api/admin/units/:id',
    path: (w) => `/api/admin/units/${w.unitA}`,
    body: () => ({ name: 'Hemtjänst Åby Öst' }),
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/mailboxes',
    path: () => '/api/admin/mailboxes',
    expect: ADMINS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/mailboxes',
    path: () => '/api/admin/mailboxes',
    body: (w) => ({ username: 'nybrevlada', displayName: 'Ny brevlåda', unitId: w.unitA }),
    expect: ADMINS(201),
  },
  {
    method: 'PATCH',
    route: '/api/admin/mailboxes/:id',
    path: (w) => `/api/admin/mailboxes/${w.mailboxA}`,
    body: (w) => ({ unitId: w.unitB }),
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/overview',
    path: () => '/api/admin/overview',
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/people',
    path: () => '/api/admin/people',
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/people/:id',
    path: (w) => `/api/admin/people/${w.delegateA}`,
    expect: ADMINS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/people/:id/unlock',
    path: (w) => `/api/admin/people/${w.delegateA}/unlock`,
    body: () => ({}),
    expect: ADMINS(204),
  },
  {
    method: 'POST',
    route: '/api/admin/people',
    path: () => '/api/admin/people',
    body: () => ({ name: 'Ny Chef', email: 'ny.chef@example.se' }),
    expect: ADMINS(201),
  },
  {
    method: 'PATCH',
    route: '/api/admin/people/:id',
    path: (w) => `/api/admin/people/${w.delegateA}`,
    body: () => ({ isAdmin: true }),
    expect: ADMINS(200),
  },
  {
    method: 'PUT',
    route: '/api/admin/people/:id/roles/:unitId',
    path: (w) => `/api/admin/people/${w.delegateA}/roles/${w.unitA}`,
    body: () => ({ role: 'manager' }),
    expect: ADMINS(204),
  },
  {
    method: 'DELETE',
    route: '/api/admin/people/:id/roles/:unitId',
    path: (w) => `/api/admin/people/${w.managerB}/roles/${w.unitB}`,
    expect: ADMINS(204),
  },
  {
    method: 'POST',
    route: '/api/admin/people/:id/invite',
    path: (w) => `/api/admin/people/${w.otherDelegateA}/invite`,
    body: () => ({}),
    expect: ADMINS(202),
  },
  {
    method: 'GET',
    route: '/api/admin/networks',
    path: () => '/api/admin/networks',
    expect: ADMINS(200),
  },
  {
    method: 'PUT',
    route: '/api/admin/networks',
    path: () => '/api/admin/networks',
    body: () => ({ cidrs: ['10.0.0.0/8'], confirm: true }),
    expect: ADMINS(200),
  },
  {
    method: 'DELETE',
    route: '/api/admin/networks',
    path: () => '/api/admin/networks',
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/manager/identities',
    path: () => '/api/manager/identities?due=true',
    // Everyone signed in may list; a manager of B sees nothing of A's (checked below).
    expect: { ...SIGNED_OUT, delegateA: 200, managerA: 200, managerB: 200, admin: 200 },
  },
  {
    method: 'POST',
    route: '/api/manager/identities/search',
    path: () => '/api/manager/identities/search',
    body: () => ({ q: 'anna' }),
    // Everyone signed in may search; a manager of B finds nothing of A's (checked below).
    expect: { ...SIGNED_OUT, delegateA: 200, managerA: 200, managerB: 200, admin: 200 },
  },
  {
    method: 'GET',
    route: '/api/manager/identities/:id',
    path: (w) => `/api/manager/identities/${w.identityA}`,
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/manager/identities/:id/initial-password',
    path: (w) => `/api/manager/identities/${w.identityA}/initial-password`,
    body: () => ({}),
    expect: UNIT_MEMBERS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/identities/preview',
    path: () => '/api/admin/identities/preview',
    body: (w) => ({ csv: hiresCsv(w) }),
    expect: ADMINS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/identities/import',
    path: () => '/api/admin/identities/import',
    body: (w) => ({ csv: hiresCsv(w) }),
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/service-tokens',
    path: () => '/api/admin/service-tokens',
    expect: ADMINS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/service-tokens',
    path: () => '/api/admin/service-tokens',
    body: () => ({ name: 'Lönesystemet', scopes: ['identities:write'] }),
    expect: ADMINS(201),
  },
  {
    method: 'DELETE',
    route: '/api/admin/service-tokens/:id',
    path: (w) => `/api/admin/service-tokens/${w.serviceToken}`,
    expect: ADMINS(204),
  },
  { method: 'GET', route: '/api/admin/audit', path: () => '/api/admin/audit', expect: ADMINS(200) },
  {
    method: 'GET',
    route: '/api/admin/audit.csv',
    path: () => '/api/admin/audit.csv',
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/webhook',
    path: () => '/api/admin/webhook',
    expect: ADMINS(200),
  },
  {
    method: 'PUT',
    route: '/api/admin/webhook',
    path: () => '/api/admin/webhook',
    body: () => ({ url: 'https://connector.example.se/nyckel', writeback: false, publicKey: null }),
    expect: ADMINS(200),
  },
  {
    // No receiver is configured in the matrix's world, so nothing leaves the worker.
    method: 'POST',
    route: '/api/admin/webhook/test',
    path: () => '/api/admin/webhook/test',
    body: () => ({}),
    expect: ADMINS(200),
  },
  {
    method: 'GET',
    route: '/api/admin/directory',
    path: () => '/api/admin/directory',
    expect: ADMINS(200),
  },
  {
    method: 'POST',
    route: '/api/admin/directory/connectors',
    path: () => '/api/admin/directory/connectors',
    body: () => ({ name: 'Kopplingen', keys: connectorRegistration }),
    expect: ADMINS(201),
  },
  {
    method: 'DELETE',
    route: '/api/admin/directory/connectors/:id',
    path: () => '/api/admin/directory/connectors/unknown-connector-id',
    expect: ADMINS(404),
  },
  // No connector is connected in the matrix's world: who may ask is decided before the
  // directory is, so an administrator gets the directory's 503.
  {
    method: 'POST',
    route: '/api/admin/directory/accounts/search',
    path: () => '/api/admin/directory/accounts/search',
    body: () => ({ username: 'hemtjanstab' }),
    expect: ADMINS(503),
  },
  {
    method: 'POST',
    route: '/api/admin/directory/accounts/list',
    path: () => '/api/admin/directory/accounts/list',
    body: () => ({}),
    expect: ADMINS(503),
  },
  {
    method: 'POST',
    route: '/api/admin/directory/import',
    path: () => '/api/admin/directory/import',
    body: (w) => ({ unitId: w.unitA }),
    expect: ADMINS(503),
  },
  {
    method: 'PUT',
    route: '/api/admin/mailboxes/:id/directory',
    path: (w) => `/api/admin/mailboxes/${w.mailboxA}/directory`,
    body: () => ({ username: 'hemtjanstab' }),
    expect: ADMINS(503),
  },
];

const connectorRegistration = await (async () => {
  const keys = await registeredKeys();
  return { signingKey: keys.signingKey, encryptionKey: keys.encryptionJwk };
})();

async function world(): Promise<{ world: World; cookies: Record<Caller, string | null> }> {
  const unitA = await seedUnit('Hemtjänst Åby');
  const unitB = await seedUnit('Hemtjänst Berga');
  const mailbox = await seedMailbox({ unitId: unitA.id });
  const managerA = await seedPerson({ roles: { [unitA.id]: 'manager' } });
  const delegateA = await seedPerson({ roles: { [unitA.id]: 'delegate' } });
  const otherDelegateA = await seedPerson({ roles: { [unitA.id]: 'delegate' } });
  const managerB = await seedPerson({ roles: { [unitB.id]: 'manager' } });
  const admin = await seedPerson({ isAdmin: true });
  const hr = await seedServiceToken();
  const hired = await integrationCall('/api/integration/identities/annand01', hr.token, {
    method: 'PUT',
    body: identityBody(unitA.id),
  });
  const { identity } = (await hired.json()) as { identity: { id: string } };
  const staffA = await seedStaff(unitA.id);
  const handover = await seedHandover(mailbox.id, managerA.id, staffA.id);
  return {
    world: {
      unitA: unitA.id,
      unitB: unitB.id,
      mailboxA: mailbox.id,
      delegateA: delegateA.id,
      otherDelegateA: otherDelegateA.id,
      managerB: managerB.id,
      identityA: identity.id,
      serviceToken: hr.id,
      staffA: staffA.id,
      offers: {
        delegateA: await seedOffer(mailbox.id, delegateA.id),
        managerA: await seedOffer(mailbox.id, managerA.id),
        admin: await seedOffer(mailbox.id, admin.id),
      },
      handoverA: handover.handoverId,
      linkA: handover.linkId,
    },
    cookies: {
      anonymous: null,
      mailbox: await login(mailbox),
      delegateA: await personCookie(delegateA.id),
      managerA: await personCookie(managerA.id),
      managerB: await personCookie(managerB.id),
      admin: await personCookie(admin.id),
    },
  };
}

describe('authorization matrix: every manager and admin route as every kind of caller', () => {
  for (const row of MATRIX) {
    describe(`${row.method} ${row.route}`, () => {
      for (const caller of CALLERS) {
        it(`answers ${row.expect[caller]} to ${caller}`, async () => {
          const { world: w, cookies } = await world();
          const res = await call(row.path(w), {
            method: row.method,
            cookie: cookies[caller],
            ...(row.body ? { body: row.body(w, caller) } : {}),
          });
          expect(res.status, await res.clone().text()).toBe(row.expect[caller]);
          if (res.status >= 400) {
            // A refusal says why in the API's own words and nothing else.
            const body = (await res.json()) as { error: string };
            // An administrator allowed in meets the directory's own outage, nothing else.
            const allowed = ['unauthorized', 'forbidden', 'not_found'];
            if (res.status === 503) allowed.push('directory_unavailable');
            expect(allowed).toContain(body.error);
          }
        });
      }
    });
  }

  it("shows a manager of another unit nothing of unit A's on their home", async () => {
    const { world: w, cookies } = await world();
    const res = await call('/api/manager/overview', { cookie: cookies.managerB });
    const text = await res.text();
    expect(text).not.toContain(w.unitA);
    expect(text).not.toContain(w.mailboxA);
    expect(text).not.toContain(w.identityA);
    const search = await call('/api/manager/identities/search', {
      cookie: cookies.managerB,
      body: { q: 'anna' },
    });
    expect(await search.json()).toEqual([]);
    const due = await call('/api/manager/identities?due=true', { cookie: cookies.managerB });
    expect(await due.text()).not.toContain(w.identityA);
  });

  it('covers every route registered under /api/manager and /api/admin', () => {
    const registered = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && /^\/api\/(manager|admin)\//.test(r.path))
        .map((r) => `${r.method} ${r.path}`),
    );
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    expect([...registered].filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !registered.has(r))).toEqual([]);
    expect(MATRIX.length * CALLERS.length).toBe(330);
  });
});
