import * as S from '../routes/routine.schemas';
import type { Operation } from './openapi';

/** The unit's routine (routes/routine.ts), for /api/openapi.json. */
export const ROUTINE_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/manager/units/{id}/routine',
    summary:
      "The unit's password routine, generated: mailboxes, rotation dates for the next year, managers and delegates, links, support and policy",
    cookie: 'person',
    success: [{ status: 200, schema: S.UnitRoutine, description: 'The routine' }],
    errors: ['unauthorized', 'not_found'],
  },
];
