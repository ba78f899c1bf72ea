import type { ApiFailure } from '../../api';
import type { Problem } from '../components/ErrorSummary';
import type { useAdminT } from './i18n-admin';

export type { Problem } from '../components/ErrorSummary';

export function problemFor(problems: Problem[], field: string): string | undefined {
  return problems.find((p) => p.field === field)?.message;
}

/** A failed call as a problem: the API's own message (localised), or "no connection". */
export function failureProblem(failure: ApiFailure, field?: string): Problem {
  return {
    field,
    message: failure.error === 'network' || !failure.message ? '' : failure.message,
  };
}

/**
 * What a refused write says on the form: the API's message at the top, or against the field
 * named here, or whatever a function makes of the failure.
 */
export type Refusal = string | ((failure: ApiFailure) => Problem | Problem[]);

export function refusalProblems(failure: ApiFailure, refused?: Refusal): Problem[] {
  if (typeof refused === 'function') return [refused(failure)].flat();
  return [failureProblem(failure, refused)];
}

/**
 * A 409 that names what already has the name, username, address or HSA-id, in the reader's
 * words ("Det finns redan en enhet som heter …"); null for any other refusal.
 */
export function takenText(t: ReturnType<typeof useAdminT>, failure: ApiFailure): string | null {
  const existing = failure.error === 'conflict' ? failure.existing : undefined;
  if (!existing) return null;
  const path = failure.issues?.[0]?.path;
  const name = existing.name;
  if (existing.kind === 'unit') return t('takenUnit', { name });
  if (existing.kind === 'mailbox') return t('takenMailbox', { name });
  return path === 'hsaId' ? t('takenHsaId', { name }) : t('takenEmail', { name });
}
