import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Info, Policy } from './api';

/** What every screen may need, fetched once when the app starts. */
export interface AppData {
  policy: Policy;
  info: Info | null;
  /** null while unknown (offline, or the check failed). */
  internal: boolean | null;
  online: boolean;
}

export const DEFAULT_POLICY_VIEW: Policy = {
  minLength: 8,
  minClasses: 3,
  historyDepth: 24,
  maxAgeDays: 90,
};

export const AppDataContext = createContext<AppData>({
  policy: DEFAULT_POLICY_VIEW,
  info: null,
  internal: null,
  online: true,
});

export function useAppData(): AppData {
  return useContext(AppDataContext);
}
