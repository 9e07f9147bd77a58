// The test bridge's message shapes (test builds only): page <-> relay <-> background.
// BiDi cannot open moz-extension:// pages, so tests reach the background through a page instead.

/** Tag on window messages between a test page and the relay. */
export const TEST_BRIDGE_TAG = 'iceguard-test-bridge';

export type TestRequest = { type: 'ping' };

export type TestReply =
  | { ok: true; type: 'pong'; browser: 'chrome' | 'firefox'; version: string; id: string }
  | { ok: false; error: string };

export interface TestWindowMessage {
  tag: typeof TEST_BRIDGE_TAG;
  direction: 'request' | 'reply';
  id: number;
  body: unknown;
}

export function isTestRequest(value: unknown): value is TestRequest {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ping';
}
