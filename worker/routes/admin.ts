import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { sameOrigin } from '../http/middleware';
import { ADMIN_READ, ADMIN_WRITE, op } from '../http/openapi';
import { adminOnly, freshSignIn, personSession } from '../http/people-session';
import { readBody, readQuery } from '../http/validate';
import {
  actorOf,
  adminMailboxes,
  adminUnits,
  createMailbox,
  createUnit,
  renameUnit,
  updateMailbox,
} from '../services/admin';
import { adminAudit, adminAuditCsv } from '../services/admin-audit';
import { adminOverview } from '../services/admin-overview';
import {
  adminPeople,
  adminPerson,
  createPerson,
  invitePerson,
  removeRole,
  setRole,
  unlockPerson,
  updatePerson,
} from '../services/admin-people';
import { networkSettings, replaceNetworks, resetNetworks } from '../services/networks';
import {
  AdminOverview,
  AdminPerson,
  AdminPersonDetail,
  AdminPersonList,
  AdminUnitList,
  AuditFilter,
  InviteRequest,
  InviteSent,
  MailboxCreate,
  MailboxCreated,
  MailboxFilter,
  MailboxUpdate,
  NetworkSettingsView,
  NetworksWrite,
  PersonCreate,
  PersonUpdate,
  RoleWrite,
  UnitView,
  UnitWrite,
} from './admin.schemas';
import { adminDirectory } from './admin-directory';
import { adminIdentities } from './admin-identities';
import { adminWebhook } from './admin-webhook';
import { AuditPage, EmptyBody, MailboxSummaryWithUnit } from './fields';

/**
 * Administrators: units, mailboxes, people and roles, networks, the whole audit log. Every
 * write needs a fresh sign-in (freshSignIn, 403 `step_up_required`), checked before the body
 * is read.
 */
export const admin = new Hono<AppEnv>()
  .use(sameOrigin(), personSession(), adminOnly())
  .get(
    '/overview',
    describeRoute(
      op({
        operationId: 'adminOverview',
        summary:
          "What the overview warns of: `resetAlert` when more reset starts than RESET_ALERT_PER_HOUR came in over the last hour, or the resets' share of today's SMS is spent; null when all is normal",
        auth: 'person',
        success: [{ status: 200, schema: AdminOverview, description: 'The overview' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await adminOverview(depsOf(c))),
  )
  .get(
    '/units',
    describeRoute(
      op({
        operationId: 'adminListUnits',
        summary: 'Every unit with its mailbox count (disabled ones included) and its managers',
        auth: 'person',
        success: [{ status: 200, schema: AdminUnitList, description: 'Units, by name' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await adminUnits(depsOf(c))),
  )
  .post(
    '/units',
    describeRoute(
      op({
        operationId: 'adminCreateUnit',
        summary: 'Create a unit (409 if another unit has the name, in any letter case)',
        auth: 'person',
        body: UnitWrite,
        success: [{ status: 201, schema: UnitView, description: 'Created' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { name } = await readBody(c, UnitWrite);
      return c.json(await createUnit(depsOf(c), c.get('person'), name), 201);
    },
  )
  .patch(
    '/units/:id',
    describeRoute(
      op({
        operationId: 'adminRenameUnit',
        summary: 'Rename a unit',
        auth: 'person',
        body: UnitWrite,
        success: [{ status: 200, schema: UnitView, description: 'Renamed' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'not_found', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { name } = await readBody(c, UnitWrite);
      return c.json(await renameUnit(depsOf(c), c.get('person'), c.req.param('id'), name));
    },
  )
  .get(
    '/mailboxes',
    describeRoute(
      op({
        operationId: 'adminListMailboxes',
        summary:
          'Mailboxes of every unit, disabled ones too; `?unitId=` for one unit (404 if unknown)',
        auth: 'person',
        query: MailboxFilter,
        success: [
          {
            status: 200,
            schema: v.array(MailboxSummaryWithUnit),
            description: 'MailboxSummary[] with unitName',
          },
        ],
        errors: [...ADMIN_READ, 'invalid_request', 'not_found'],
      }),
    ),
    async (c) => {
      const { unitId } = readQuery(c, MailboxFilter);
      return c.json(await adminMailboxes(depsOf(c), unitId));
    },
  )
  .post(
    '/mailboxes',
    describeRoute(
      op({
        operationId: 'adminCreateMailbox',
        summary:
          'Create a mailbox with an initial password: typed (policy, 422) or generated and returned once. An unknown unitId is 400 invalid_request; a taken username 409',
        auth: 'person',
        body: MailboxCreate,
        success: [{ status: 201, schema: MailboxCreated, description: 'Created' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'policy', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, MailboxCreate);
      return c.json(await createMailbox(depsOf(c), c.get('person'), input), 201);
    },
  )
  .patch(
    '/mailboxes/:id',
    describeRoute(
      op({
        operationId: 'adminUpdateMailbox',
        summary:
          'Rename, move (unknown unitId: 400 invalid_request) or disable/enable a mailbox; disabling ends its sessions',
        auth: 'person',
        body: MailboxUpdate,
        success: [{ status: 200, schema: MailboxSummaryWithUnit, description: 'The mailbox now' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const change = await readBody(c, MailboxUpdate);
      return c.json(await updateMailbox(depsOf(c), c.get('person'), c.req.param('id'), change));
    },
  )
  .get(
    '/people',
    describeRoute(
      op({
        operationId: 'adminListPeople',
        summary: 'Everyone, with roles, whether they can sign in and whether an invite is open',
        auth: 'person',
        success: [{ status: 200, schema: AdminPersonList, description: 'People, by name' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await adminPeople(depsOf(c))),
  )
  .post(
    '/people',
    describeRoute(
      op({
        operationId: 'adminCreatePerson',
        summary: 'Add a person (e-mail and HSA-id unique: 409). No invite is sent',
        auth: 'person',
        body: PersonCreate,
        success: [{ status: 201, schema: AdminPerson, description: 'Created' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'invalid_phone', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, PersonCreate);
      return c.json(await createPerson(depsOf(c), c.get('person'), input), 201);
    },
  )
  .get(
    '/people/:id',
    describeRoute(
      op({
        operationId: 'adminGetPerson',
        summary:
          'One person as the list shows them, and until when their sign-in with a code is locked (from any network; null if not)',
        auth: 'person',
        success: [{ status: 200, schema: AdminPersonDetail, description: 'The person' }],
        errors: [...ADMIN_READ, 'not_found'],
      }),
    ),
    async (c) => c.json(await adminPerson(depsOf(c), c.req.param('id'))),
  )
  .patch(
    '/people/:id',
    describeRoute(
      op({
        operationId: 'adminUpdatePerson',
        summary:
          'Change a person; disabling ends their sessions and invites. Not your own admin flag or account (409)',
        auth: 'person',
        body: PersonUpdate,
        success: [{ status: 200, schema: AdminPerson, description: 'The person now' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'invalid_phone', 'not_found', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const change = await readBody(c, PersonUpdate);
      return c.json(await updatePerson(depsOf(c), c.get('person'), c.req.param('id'), change));
    },
  )
  .put(
    '/people/:id/roles/:unitId',
    describeRoute(
      op({
        operationId: 'adminSetRole',
        summary: 'Make the person manager or delegate of the unit',
        auth: 'person',
        body: RoleWrite,
        success: [{ status: 204, description: 'Set' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { role } = await readBody(c, RoleWrite);
      const { id, unitId } = c.req.param();
      await setRole(depsOf(c), c.get('person'), id, unitId, role);
      return c.body(null, 204);
    },
  )
  .delete(
    '/people/:id/roles/:unitId',
    describeRoute(
      op({
        operationId: 'adminRemoveRole',
        summary: "Remove the person's role in the unit (404 if none); their sessions end",
        auth: 'person',
        success: [{ status: 204, description: 'Removed' }],
        errors: [...ADMIN_WRITE, 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { id, unitId } = c.req.param();
      await removeRole(depsOf(c), c.get('person'), id, unitId);
      return c.body(null, 204);
    },
  )
  .post(
    '/people/:id/invite',
    describeRoute(
      op({
        operationId: 'adminInvitePerson',
        summary:
          'E-mail a new enrolment invite (earlier ones end); the link is never in the answer. 409 for a disabled person',
        auth: 'person',
        body: InviteRequest,
        success: [{ status: 202, schema: InviteSent, description: 'Invite e-mailed' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'not_found', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await readBody(c, InviteRequest);
      return c.json(await invitePerson(depsOf(c), c.get('person'), c.req.param('id')), 202);
    },
  )
  .post(
    '/people/:id/unlock',
    describeRoute(
      op({
        operationId: 'adminUnlockPerson',
        summary:
          "End every lock and failure count of the person's sign-in with a code, from every network",
        description:
          'Needs a fresh sign-in. Idempotent: the audit entry `person.unlock` is written also when nothing was locked, with `wasLocked`. The lock follows the e-mail the person has now.',
        auth: 'person',
        body: EmptyBody,
        success: [{ status: 204, description: 'Unlocked (also when it was not locked)' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await readBody(c, EmptyBody);
      await unlockPerson(depsOf(c), c.get('person'), c.req.param('id'));
      return c.body(null, 204);
    },
  )
  .get(
    '/networks',
    describeRoute(
      op({
        operationId: 'adminGetNetworks',
        summary: 'The internal-network list in force, its source, and the default (wrangler var)',
        auth: 'person',
        success: [{ status: 200, schema: NetworkSettingsView, description: 'Networks' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await networkSettings(depsOf(c))),
  )
  .put(
    '/networks',
    describeRoute(
      op({
        operationId: 'adminReplaceNetworks',
        summary: 'Replace the internal-network list (at most 100 CIDR entries)',
        description:
          'Bad entries are 400 invalid_request: `issues` names every one (`path` cidrs.<index>, `code` empty, comma, address or prefix, and a message with the text), `entry` the first. Emptying the list (then no network counts as internal, and phone registration is allowed from the municipal network too) or removing more than half of its entries needs `confirm: true`, else 409 confirmation_required with `reason` networks_emptied or networks_shrunk.',
        auth: 'person',
        body: NetworksWrite,
        success: [{ status: 200, schema: NetworkSettingsView, description: 'In force now' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'confirmation_required'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { cidrs, confirm } = await readBody(c, NetworksWrite);
      return c.json(
        await replaceNetworks(depsOf(c), actorOf(c.get('person')), cidrs, confirm === true),
      );
    },
  )
  .delete(
    '/networks',
    describeRoute(
      op({
        operationId: 'adminResetNetworks',
        summary: 'Go back to the default list (the wrangler var)',
        auth: 'person',
        success: [{ status: 200, schema: NetworkSettingsView, description: 'In force now' }],
        errors: [...ADMIN_WRITE],
      }),
    ),
    freshSignIn(),
    async (c) => c.json(await resetNetworks(depsOf(c), actorOf(c.get('person')))),
  )
  .get(
    '/audit',
    describeRoute(
      op({
        operationId: 'adminAudit',
        summary:
          'The audit log, newest first: ?from=&to= (date = whole UTC day, or time), actor, action (also its family), unitId, outcome, before (cursor), limit (1–100)',
        auth: 'person',
        query: AuditFilter,
        success: [{ status: 200, schema: AuditPage, description: 'A page and the next cursor' }],
        errors: [...ADMIN_READ, 'invalid_request'],
      }),
    ),
    async (c) => c.json(await adminAudit(depsOf(c), readQuery(c, AuditFilter))),
  )
  .get(
    '/audit.csv',
    describeRoute(
      op({
        operationId: 'adminAuditCsv',
        summary:
          'The same filters as CSV for Excel: UTF-8 with BOM, `;`, CRLF, newest 10,000 rows (header Nyckel-Export-Truncated when cut); cells starting with = + - @ are prefixed with an apostrophe',
        auth: 'person',
        query: AuditFilter,
        success: [{ status: 200, description: 'text/csv; charset=utf-8, as an attachment' }],
        errors: [...ADMIN_READ, 'invalid_request'],
      }),
    ),
    async (c) => {
      const query = readQuery(c, AuditFilter);
      const { text, filename, truncated } = await adminAuditCsv(depsOf(c), c.get('person'), query);
      return c.body(text, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        ...(truncated ? { 'Nyckel-Export-Truncated': 'true' } : {}),
      });
    },
  )
  .route('/', adminIdentities)
  .route('/', adminWebhook)
  .route('/', adminDirectory);
