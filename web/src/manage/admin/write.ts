import type { ApiResult } from '../../api';
import { useSensitive } from '../step-up';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Every administrator write goes through the step-up runner: the API answers 403
 * step_up_required when the last passkey or TOTP check is older than ten minutes, the runner
 * asks for it again and retries, and the screen only sees the final answer.
 */
export function useWrite() {
  const { run } = useSensitive();
  return <T>(method: WriteMethod, path: string, body?: unknown): Promise<ApiResult<T>> =>
    run<T>(method, path, body);
}
