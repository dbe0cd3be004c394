/**
 * How far past its budget an answer may reach the test's client and still
 * count as in time. The service answers at its deadline; the trip back and
 * a loaded machine's scheduling come on top (50 ms was once not enough: an
 * answer arrived 50.0 ms late on a 2-core CI host running every test file
 * at once). Each test that uses it drills a fault that would cost far more
 * than this: a Shopify, token endpoint or database answering hundreds of
 * milliseconds to seconds late, or never.
 */
export const ANSWER_SLACK_MS = 150;
