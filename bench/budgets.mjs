// The budgets `npm run bench` raises, as `KEY=value` vars for scripts/local-app.mjs, so the
// benchmark measures the work and not the throttles. The attack run (bench/attack.mjs) keeps
// the real ones: the throttles are what it measures.
export const RAISED_BUDGETS = [
  'RESET_PER_USERNAME_PER_HOUR=100000',
  'RESET_PER_ADDRESS_PER_HOUR=100000',
  // The load run's wrong codes would reach a name's daily cap of wrong codes within seconds.
  'RESET_FAILED_CODES_PER_DAY=100000',
  'LOGIN_PER_ADDRESS_PER_15_MIN=100000',
  'SMS_PER_ACCOUNT_PER_HOUR=100000',
  'SMS_PER_NUMBER_PER_HOUR=100000',
  'SMS_PER_ADDRESS_PER_HOUR=100000',
  'SMS_PER_DAY=100000',
  'SMS_RESET_SHARE_PERCENT=100',
  'SMS_RESET_PER_NUMBER_PER_NETWORK_PER_HOUR=100000',
  'SMS_RESET_PER_NUMBER_PER_HOUR=100000',
];
