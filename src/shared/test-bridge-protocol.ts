// The test bridge's message shapes (test builds only): page <-> relay <-> background.
// BiDi cannot open moz-extension:// pages, so tests reach the background through a page instead.

/** Tag on window messages between a test page and the relay. */
export const TEST_BRIDGE_TAG = 'iceguard-test-bridge';

import { isSiteMode, type SiteMode } from './modes';

export type TestRequest =
  | { type: 'ping' }
  /** Sets (or with null clears) the user's mode for an origin, as the popup will; new documents see it. */
  | { type: 'set-site-mode'; origin: string; mode: SiteMode | null };

export type TestReply =
  | { ok: true; type: 'pong'; browser: 'chrome' | 'firefox'; version: string; id: string }
  | { ok: true; type: 'done' }
  | { ok: true; type: 'relay-state'; state: { mode: string | null; modeArrivedMs: number | null; relayStartedMs: number } }
  | { ok: false; error: string };

export interface TestWindowMessage {
  tag: typeof TEST_BRIDGE_TAG;
  direction: 'request' | 'reply';
  id: number;
  body: unknown;
}

export function isTestRequest(value: unknown): value is TestRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; origin?: unknown; mode?: unknown };
  if (v.type === 'ping') return true;
  return v.type === 'set-site-mode' && typeof v.origin === 'string' && (v.mode === null || isSiteMode(v.mode));
}
