import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import {
  identityAlong,
  mailboxAlong,
  mailboxForResetAlong,
  mailboxPageAlong,
  unitAlong,
} from '../http/manager-reads';
import { sameOrigin } from '../http/middleware';
import {
  DIRECTORY,
  DIRECTORY_PASSWORD,
  MANAGER_FRESH_WRITE,
  MANAGER_READ,
  MANAGER_WRITE,
  op,
} from '../http/openapi';
import { freshSignIn, personSession, readAlong } from '../http/people-session';
import { readBody, readQuery } from '../http/validate';
import { handoverList, resendLink, shareHandover } from '../services/handovers';
import {
  dueForPerson,
  fetchInitialPassword,
  identityDetail,
  identityInScope,
  searchForPerson,
} from '../services/identities';
import {
  addDelegate,
  delegatesUnit,
  mailboxDetail,
  mailboxForReset,
  mailboxInScope,
  overview,
  resetOnBehalf,
  revokeDelegate,
  unitAudit,
  unitDetail,
  unitInScope,
  unlockMailbox,
} from '../services/manager';
import { addStaff, removeStaff, staffList, updateStaff } from '../services/staff';
import { AuditPage, EmptyBody } from './fields';
import {
  Handover,
  HandoverList,
  HandoverRecipient,
  HandoverShare,
  StaffAdd,
  StaffList,
  StaffMember,
  StaffUpdate,
} from './handovers.schemas';
import {
  FetchedPassword,
  IdentityDetail,
  IdentityDueQuery,
  IdentityList,
  IdentitySearch,
} from './identities.schemas';
import {
  AuditQuery,
  DelegateAdd,
  MailboxDetail,
  Overview,
  ResetOnBehalf,
  ResetOnBehalfResult,
  UnitDetail,
  UnitPerson,
} from './manager.schemas';
import { routine } from './routine';

/**
 * Managers and delegates: their units' mailboxes, delegates and audit trail. Reset on behalf
 * and delegate changes need a strong sign-in within the last 10 minutes. Writes decide who
 * may act (404 outside the person's units, 403) before reading the body, so the answer to a
 * stranger never depends on what they sent. Staff lists and handovers are for every
 * member of the unit; adding or renumbering staff, sharing and resending need a fresh sign-in
 * too, since each decides who receives a password.
 */
export const manager = new Hono<AppEnv>()
  .use(sameOrigin())
  // A route's first read goes with the session check, in one D1 call (http/manager-reads.ts).
  .use('/mailboxes/:id', personSession(mailboxPageAlong))
  .use('/mailboxes/:id/password', personSession(mailboxForResetAlong))
  .use('/mailboxes/:id/*', personSession(mailboxAlong))
  .use('/units/:id/*', personSession(unitAlong))
  .use('/identities/:id/*', personSession(identityAlong))
  .use(personSession())
  .get(
    '/overview',
    describeRoute(
      op({
        operationId: 'managerOverview',
        summary: 'Tasks first, then every unit the person sees with its mailboxes',
        auth: 'person',
        success: [{ status: 200, schema: Overview, description: 'Tasks and units' }],
        errors: ['unauthorized'],
      }),
    ),
    async (c) => c.json(await overview(depsOf(c), c.get('person'))),
  )
  .get(
    '/mailboxes/:id',
    describeRoute(
      op({
        operationId: 'managerGetMailbox',
        summary: "A mailbox of the person's units and its newest 50 audit entries",
        auth: 'person',
        success: [{ status: 200, schema: MailboxDetail, description: 'Mailbox and history' }],
        errors: MANAGER_READ,
      }),
    ),
    async (c) =>
      c.json(
        await mailboxDetail(
          depsOf(c),
          c.get('person'),
          c.req.param('id'),
          readAlong(c, mailboxPageAlong),
        ),
      ),
  )
  .post(
    '/mailboxes/:id/unlock',
    describeRoute(
      op({
        operationId: 'managerUnlockMailbox',
        summary:
          "End the login lockout, and the day's pause on resets by SMS code (`resetsPausedUntil`), without changing the password",
        auth: 'person',
        body: EmptyBody,
        success: [{ status: 204, description: 'Unlocked (also when it was not locked)' }],
        errors: [
          ...MANAGER_WRITE,
          'invalid_request',
          'account_disabled',
          'account_expired',
          ...DIRECTORY,
        ],
      }),
    ),
    async (c) => {
      const deps = depsOf(c);
      const mailbox = await mailboxInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, mailboxAlong),
      );
      await readBody(c, EmptyBody);
      await unlockMailbox(deps, c.get('person'), mailbox);
      return c.body(null, 204);
    },
  )
  .post(
    '/mailboxes/:id/password',
    describeRoute(
      op({
        operationId: 'managerResetPassword',
        summary:
          'Reset the password on behalf of the staff (typed, or generated and shown once); needs a fresh sign-in',
        auth: 'person',
        body: ResetOnBehalf,
        success: [
          {
            status: 200,
            schema: ResetOnBehalfResult,
            description: "Set; the mailbox's sessions ended and the unit's managers told by e-mail",
          },
        ],
        errors: [
          ...MANAGER_FRESH_WRITE,
          'invalid_request',
          'conflict',
          'policy',
          ...DIRECTORY_PASSWORD,
        ],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const mailbox = await mailboxForReset(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, mailboxForResetAlong),
      );
      const { password } = await readBody(c, ResetOnBehalf);
      return c.json(await resetOnBehalf(deps, c.get('person'), mailbox, password));
    },
  )
  .get(
    '/units/:id',
    describeRoute(
      op({
        operationId: 'managerGetUnit',
        summary: 'A unit of the person and its managers and delegates',
        auth: 'person',
        success: [{ status: 200, schema: UnitDetail, description: 'Unit and people' }],
        errors: MANAGER_READ,
      }),
    ),
    async (c) =>
      c.json(
        await unitDetail(depsOf(c), c.get('person'), c.req.param('id'), readAlong(c, unitAlong)),
      ),
  )
  .post(
    '/units/:id/delegates',
    describeRoute(
      op({
        operationId: 'managerAddDelegate',
        summary:
          'Make a person a delegate of the unit (invited by e-mail if they cannot sign in yet); managers and administrators; needs a fresh sign-in',
        auth: 'person',
        body: DelegateAdd,
        success: [{ status: 201, schema: UnitPerson, description: 'The delegate' }],
        errors: [...MANAGER_WRITE, 'forbidden', 'step_up_required', 'invalid_request', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const unit = await delegatesUnit(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      const input = await readBody(c, DelegateAdd);
      return c.json(await addDelegate(deps, c.get('person'), unit, input), 201);
    },
  )
  .delete(
    '/units/:id/delegates/:personId',
    describeRoute(
      op({
        operationId: 'managerRemoveDelegate',
        summary: 'Remove a delegate of the unit; their sessions end at once; needs a fresh sign-in',
        auth: 'person',
        success: [{ status: 204, description: 'Removed' }],
        errors: [...MANAGER_WRITE, 'forbidden', 'step_up_required'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await revokeDelegate(depsOf(c), c.get('person'), c.req.param('id'), c.req.param('personId'));
      return c.body(null, 204);
    },
  )
  .get(
    '/identities',
    describeRoute(
      op({
        operationId: 'managerListDueIdentities',
        summary: "The person's units' identities with an initial password to fetch (due=true)",
        auth: 'person',
        query: IdentityDueQuery,
        success: [{ status: 200, schema: IdentityList, description: 'Identities' }],
        errors: ['unauthorized', 'invalid_request'],
      }),
    ),
    async (c) => {
      readQuery(c, IdentityDueQuery);
      return c.json(await dueForPerson(depsOf(c), c.get('person')));
    },
  )
  .post(
    '/identities/search',
    describeRoute(
      op({
        operationId: 'managerSearchIdentities',
        summary:
          "Search the person's units (q: user id prefix; a whole personnummer, or its start from the birth date, YYYYMMDD or YYMMDD, with or without more digits; HSA-id prefix; or name, word prefixes in either order; at most 10). A POST so a personnummer never is in an address (request logs)",
        description:
          'Searches by personnummer, whole or from the birth date on, share a budget of 20 an hour per person (then 429 `rate_limited` with Retry-After), and each is audited as `identity.search_pnr` with the masked forms only. Answers show the number masked to year and month (`198506••-••••`).',
        auth: 'person',
        body: IdentitySearch,
        success: [{ status: 200, schema: IdentityList, description: 'Identities' }],
        errors: ['unauthorized', 'invalid_request', 'rate_limited'],
      }),
    ),
    async (c) => {
      const { q } = await readBody(c, IdentitySearch);
      return c.json(await searchForPerson(depsOf(c), c.get('person'), q));
    },
  )
  .get(
    '/identities/:id',
    describeRoute(
      op({
        operationId: 'managerGetIdentity',
        summary: 'An identity of the person’s units and the state of its initial password',
        auth: 'person',
        success: [{ status: 200, schema: IdentityDetail, description: 'The identity' }],
        errors: MANAGER_READ,
      }),
    ),
    async (c) =>
      c.json(
        await identityDetail(
          depsOf(c),
          c.get('person'),
          c.req.param('id'),
          readAlong(c, identityAlong),
        ),
      ),
  )
  .post(
    '/identities/:id/initial-password',
    describeRoute(
      op({
        operationId: 'managerFetchInitialPassword',
        summary:
          'Fetch the initial password (the same every time; audited); 410 after the first login or once the employment ended before it',
        auth: 'person',
        body: EmptyBody,
        success: [{ status: 200, schema: FetchedPassword, description: 'The password' }],
        errors: [
          ...MANAGER_FRESH_WRITE,
          'invalid_request',
          'initial_password_used',
          'initial_password_withdrawn',
        ],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const found = readAlong(c, identityAlong);
      await identityInScope(deps, c.get('person'), c.req.param('id'), found);
      await readBody(c, EmptyBody);
      return c.json(await fetchInitialPassword(deps, c.get('person'), c.req.param('id'), found));
    },
  )
  .get(
    '/units/:id/staff',
    describeRoute(
      op({
        operationId: 'managerListStaff',
        summary:
          "The unit's staff (name and masked mobile number); managers, delegates, administrators",
        auth: 'person',
        success: [{ status: 200, schema: StaffList, description: 'Staff, by name' }],
        errors: MANAGER_READ,
      }),
    ),
    async (c) => {
      const deps = depsOf(c);
      const unit = await unitInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      return c.json(await staffList(deps, unit));
    },
  )
  .post(
    '/units/:id/staff',
    describeRoute(
      op({
        operationId: 'managerAddStaff',
        summary:
          'Add a staff member (mobile number parsed like a mailbox number); needs a fresh sign-in',
        auth: 'person',
        body: StaffAdd,
        success: [{ status: 201, schema: StaffMember, description: 'Added' }],
        errors: [...MANAGER_FRESH_WRITE, 'invalid_request', 'invalid_phone', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const unit = await unitInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      const input = await readBody(c, StaffAdd);
      return c.json(await addStaff(deps, c.get('person'), unit, input), 201);
    },
  )
  .patch(
    '/units/:id/staff/:staffId',
    describeRoute(
      op({
        operationId: 'managerUpdateStaff',
        summary:
          "Change a staff member's name or number (a new number revokes their unopened links); needs a fresh sign-in",
        auth: 'person',
        body: StaffUpdate,
        success: [{ status: 200, schema: StaffMember, description: 'Changed' }],
        errors: [...MANAGER_FRESH_WRITE, 'invalid_request', 'invalid_phone', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const unit = await unitInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      const input = await readBody(c, StaffUpdate);
      return c.json(await updateStaff(deps, c.get('person'), unit, c.req.param('staffId'), input));
    },
  )
  .delete(
    '/units/:id/staff/:staffId',
    describeRoute(
      op({
        operationId: 'managerRemoveStaff',
        summary: 'Remove a staff member; their unopened links are revoked at once',
        auth: 'person',
        success: [{ status: 204, description: 'Removed' }],
        errors: MANAGER_WRITE,
      }),
    ),
    async (c) => {
      const deps = depsOf(c);
      const unit = await unitInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      await removeStaff(deps, c.get('person'), unit, c.req.param('staffId'));
      return c.body(null, 204);
    },
  )
  .get(
    '/mailboxes/:id/handovers',
    describeRoute(
      op({
        operationId: 'managerListHandovers',
        summary: "The mailbox's newest password handovers, per recipient: sent, viewed, expired",
        auth: 'person',
        success: [{ status: 200, schema: HandoverList, description: 'Handovers, newest first' }],
        errors: MANAGER_READ,
      }),
    ),
    async (c) => {
      const deps = depsOf(c);
      const mailbox = await mailboxInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, mailboxAlong),
      );
      return c.json(await handoverList(deps, mailbox));
    },
  )
  .post(
    '/mailboxes/:id/handovers',
    describeRoute(
      op({
        operationId: 'managerShareHandover',
        summary:
          'Share the password the caller just set (shareOfferId) with staff: one single-view SMS link each, valid 24 hours; needs a fresh sign-in',
        auth: 'person',
        body: HandoverShare,
        success: [
          {
            status: 201,
            schema: Handover,
            description:
              "Shared; per recipient 'queued' or 'refused' (SMS budget, with retryAfter)",
          },
        ],
        errors: [...MANAGER_FRESH_WRITE, 'invalid_request', 'share_unavailable'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const mailbox = await mailboxInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, mailboxAlong),
      );
      const input = await readBody(c, HandoverShare);
      return c.json(await shareHandover(deps, c.get('person'), mailbox, input), 201);
    },
  )
  .post(
    '/mailboxes/:id/handovers/:handoverId/links/:linkId/resend',
    describeRoute(
      op({
        operationId: 'managerResendHandoverLink',
        summary:
          'A fresh link to one recipient (the old link is revoked) while the password still exists; needs a fresh sign-in',
        auth: 'person',
        body: EmptyBody,
        success: [{ status: 200, schema: HandoverRecipient, description: 'The new link' }],
        errors: [
          ...MANAGER_FRESH_WRITE,
          'invalid_request',
          'conflict',
          'share_unavailable',
          'rate_limited',
        ],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const deps = depsOf(c);
      const mailbox = await mailboxInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, mailboxAlong),
      );
      await readBody(c, EmptyBody);
      const ids = { handoverId: c.req.param('handoverId'), linkId: c.req.param('linkId') };
      return c.json(await resendLink(deps, c.get('person'), mailbox, ids));
    },
  )
  .get(
    '/units/:id/audit',
    describeRoute(
      op({
        operationId: 'managerUnitAudit',
        summary: "The unit's audit trail, newest first (query: before = cursor, limit = 1–100)",
        auth: 'person',
        query: AuditQuery,
        success: [{ status: 200, schema: AuditPage, description: 'A page of entries' }],
        errors: [...MANAGER_READ, 'invalid_request'],
      }),
    ),
    async (c) => {
      const deps = depsOf(c);
      const unit = await unitInScope(
        deps,
        c.get('person'),
        c.req.param('id'),
        readAlong(c, unitAlong),
      );
      return c.json(await unitAudit(deps, unit, readQuery(c, AuditQuery)));
    },
  )
  .route('/', routine);
