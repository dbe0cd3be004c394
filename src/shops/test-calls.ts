/** Call ids of the settings page's "Test a lookup": answered like any call, but no caller, so not in the merchant's report. */
export const TEST_CALL_PREFIX = 'settings_test_';

export const isTestCall = (callId: string): boolean => callId.startsWith(TEST_CALL_PREFIX);
