import type { InferOutput } from 'valibot';
import type {
  AdminPerson as AdminPersonSchema,
  AdminUnit as AdminUnitSchema,
} from '../../../../worker/routes/admin.schemas';
import type { DirectoryView as DirectoryViewSchema } from '../../../../worker/routes/directory.schemas';
import type { MailboxSummaryWithUnit } from '../../../../worker/routes/fields';

/** The API's bodies that several administrator screens read, typed from the worker's schemas. */
export type AdminUnit = InferOutput<typeof AdminUnitSchema>;
export type AdminPerson = InferOutput<typeof AdminPersonSchema>;
export type AdminMailbox = InferOutput<typeof MailboxSummaryWithUnit>;
export type DirectoryView = InferOutput<typeof DirectoryViewSchema>;
