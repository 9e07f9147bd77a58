// The test bridge's message shapes (test builds only): page <-> relay <-> background.
// BiDi cannot open moz-extension:// pages, so tests reach the background through a page instead.

/** Tag on window messages between a test page and the relay. */
export const TEST_BRIDGE_TAG = 'iceguard-test-bridge';

import { isSiteMode, type SiteMode } from './modes';

export type TestRequest =
  | { type: 'ping' }
  /** Sets (or with null clears) the user's mode for an origin, as the popup does; open documents refresh. */
  | { type: 'set-site-mode'; origin: string; mode: SiteMode | null }
  /** A UI request (src/shared/ui-protocol.ts) answered as if an extension page had sent it. */
  | { type: 'ui'; request: unknown }
  /** The badge of the calling page's tab, and that tab's id. */
  | { type: 'badge' }
  /** The whole of storage.local or storage.session. */
  | { type: 'storage-get'; area: 'local' | 'session' }
  /** Writes raw values into storage.local (to test repair), then reloads the settings. */
  | { type: 'storage-set'; items: Record<string, unknown> }
  /** The prompt window open now, if any: its id and what it asks. */
  | { type: 'open-prompt' }
  /** The browser floor as the browser reports it, after IceGuard applied it. */
  | { type: 'floor' }
  /**
   * Stands in `policy` for storage.managed (null: back to the real one), then applies it as a policy
   * change would. For UI tests; the real delivery (policy files) is tested in enterprise.test.ts.
   */
  | { type: 'test-policy'; policy: unknown }
  /** The mode hints registered now (after bringing them up to date). */
  | { type: 'hints' }
  /** Closes a window, as its close button would (the prompt in Firefox, where BiDi cannot reach it). */
  | { type: 'close-window'; windowId: number }
  /**
   * Answered by the relay itself: sends `message` to the background as a plain relay message, as a
   * content script under a hostile page's control could. The reply is what the background answered.
   */
  | { type: 'forge'; message: unknown };

export type TestReply =
  /** `startedAt`: when this background instance started (a stopped and restarted one differs). */
  | { ok: true; type: 'pong'; browser: 'chrome' | 'firefox'; version: string; id: string; startedAt: number }
  | { ok: true; type: 'done' }
  | { ok: true; type: 'relay-state'; state: { mode: string | null; modeArrivedMs: number | null; relayStartedMs: number } }
  | { ok: true; type: 'ui'; reply: unknown }
  | { ok: true; type: 'badge'; tabId: number; text: string; title: string; colour: string }
  | { ok: true; type: 'storage'; items: Record<string, unknown> }
  | { ok: true; type: 'open-prompt'; prompt: unknown }
  | { ok: true; type: 'floor'; floor: unknown }
  | { ok: true; type: 'policy'; policy: unknown }
  | { ok: true; type: 'hints'; hints: { id: string; js: string[]; matches: string[]; excludeMatches?: string[] }[] }
  | { ok: true; type: 'forged'; reply: unknown }
  | { ok: false; error: string };

export interface TestWindowMessage {
  tag: typeof TEST_BRIDGE_TAG;
  direction: 'request' | 'reply';
  id: number;
  body: unknown;
}

export function isTestRequest(value: unknown): value is TestRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; origin?: unknown; mode?: unknown; area?: unknown; items?: unknown };
  switch (v.type) {
    case 'ping':
    case 'ui':
    case 'badge':
    case 'open-prompt':
    case 'floor':
    case 'hints':
    case 'test-policy':
      return true;
    case 'set-site-mode':
      return typeof v.origin === 'string' && (v.mode === null || isSiteMode(v.mode));
    case 'close-window':
      return typeof (v as { windowId?: unknown }).windowId === 'number';
    case 'storage-get':
      return v.area === 'local' || v.area === 'session';
    case 'storage-set':
      return typeof v.items === 'object' && v.items !== null;
    default:
      return false;
  }
}
