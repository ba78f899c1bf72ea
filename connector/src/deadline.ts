import { AsyncLocalStorage } from 'node:async_hooks';
import type { DirectoryErrorCode } from '../../worker/domain/directory-protocol';

/*
 * The expiry of the job being run, for the directory code deep inside it. A job is refused
 * when it arrives late, and also right before each bind or write: the worker stops waiting
 * at the expiry and tells the person that nothing changed, so nothing may change after it.
 */
const store = new AsyncLocalStorage<number>();

export function withDeadline<T>(expiresAt: number, fn: () => Promise<T>): Promise<T> {
  return store.run(expiresAt, fn);
}

export class DeadlinePassed extends Error {
  readonly code: DirectoryErrorCode = 'expired_job';
  constructor() {
    super('the job expired before the directory was changed');
    this.name = 'DeadlinePassed';
  }
}

/** Throws if the current job's expiry has passed (outside a job: never). */
export function beforeWrite(now = Date.now()): void {
  const expiresAt = store.getStore();
  if (expiresAt !== undefined && now >= expiresAt) throw new DeadlinePassed();
}
