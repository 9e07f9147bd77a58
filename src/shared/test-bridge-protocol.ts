// The test bridge's message shapes (test builds only): page <-> relay <-> background.
// BiDi cannot open moz-extension:// pages, so tests reach the background through a page instead.

/** Tag on window messages between a test page and the relay. */
export const TEST_BRIDGE_TAG = 'iceguard-test-bridge';

import { MODES } from '../policy/mode';
import { anything, arrayOf, nullable, number, oneOf, optional, record, string, type KindTable, type MessageOf } from './schema';

/**
 * The requests, one entry a kind: TestRequest and the background's reader both come from it. A function,
 * so that release builds, which import this file for its tag but drop the bridge, build no schemas.
 * Unknown keys are ignored (the tests are the only peer, and the bridge has always let them pass).
 */
export const testRequests = () =>
  ({
    ping: {},
    /** Sets (or with null clears) the user's mode for an origin, as the popup does; open documents refresh. */
    'set-site-mode': { origin: string(Infinity), mode: nullable(oneOf(MODES)) },
    /** A UI request (src/shared/ui-protocol.ts) answered as if an extension page had sent it. */
    ui: { request: optional(anything) },
    /** The badge of the calling page's tab (or of tab `tabId`), and that tab's id. */
    badge: { tabId: optional(number({ integer: true })) },
    /**
     * Takes host permissions away, as the user does in Firefox's add-on manager (Firefox lets an
     * extension remove its MV3 host permissions; Chromium refuses required ones).
     */
    'remove-origins': { origins: arrayOf(string(), 8) },
    /** The whole of storage.local or storage.session. */
    'storage-get': { area: oneOf(['local', 'session'] as const) },
    /** Writes raw values into storage.local (to test repair), then reloads the settings. */
    'storage-set': { items: record(anything, Infinity) },
    /** The prompt window open now, if any: its id and what it asks. */
    'open-prompt': {},
    /** The browser floor as the browser reports it now, and what IceGuard wants of it (read only: the background applies it on its own). */
    floor: {},
    /**
     * Stands in `policy` for storage.managed (null: back to the real one), then applies it as a policy
     * change would. For UI tests; the real delivery (policy files) is tested in enterprise.test.ts.
     */
    'test-policy': { policy: optional(anything) },
    /** The mode hints registered now (read only: the background syncs them after each change). */
    hints: {},
    /** Closes a window, as its close button would (the prompt in Firefox, where BiDi cannot reach it). */
    'close-window': { windowId: number() },
    /**
     * Answered by the relay itself: sends `message` to the background as a plain relay message, as a
     * content script under a hostile page's control could. The reply is what the background answered.
     */
    forge: { message: optional(anything) },
    /** Records an error in the background's error log (src/background/error-log.ts), as a failing catch site would. */
    'record-error': { where: string(64), message: string(500) },
  }) satisfies KindTable;

export type TestRequest = MessageOf<'type', ReturnType<typeof testRequests>>;

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
  | { ok: true; type: 'removed'; removed: boolean }
  | { ok: false; error: string };

export interface TestWindowMessage {
  tag: typeof TEST_BRIDGE_TAG;
  direction: 'request' | 'reply';
  id: number;
  body: unknown;
}
