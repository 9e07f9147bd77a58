// Messages from IceGuard's own pages (toolbar popup, permission prompt, options page) to the
// background. Only extension pages may send them: the background checks the sender's URL, so a web
// page (or its relay) that sends the same shapes gets nothing (src/background/ui-messages.ts).
import type { ModeSource } from '../policy';
import type { SiteMode } from './modes';
import type { PolicyRuleView } from './managed-policy';
import type { Settings, SettingKey, SettingProblem } from './settings';

export type PromptAnswer = 'hide' | 'once' | 'always' | 'block';
export const PROMPT_ANSWERS: readonly PromptAnswer[] = ['hide', 'once', 'always', 'block'];

export type UiRequest =
  /** What IceGuard knows about a tab: its site, mode and what was hidden. */
  | { ui: 'tab-state'; tabId: number }
  /** The settings, decisions and repair notices. */
  | { ui: 'settings' }
  | { ui: 'set-setting'; key: SettingKey; value: unknown }
  /** The user's mode for a site (null: remove the decision). */
  | { ui: 'set-site'; site: string; mode: SiteMode | null }
  | { ui: 'clear-sites' }
  /** "Allow once": direct for this site in this tab until the tab closes. */
  | { ui: 'allow-once'; tabId: number; site: string }
  /** Ends an "Allow once" grant before the tab closes. */
  | { ui: 'end-once'; tabId: number; site: string }
  | { ui: 'import'; text: string }
  | { ui: 'export' }
  | { ui: 'dismiss-problems' }
  /** The prompt page asks what it is about. */
  | { ui: 'prompt'; id: string }
  | { ui: 'prompt-answer'; id: string; answer: PromptAnswer };

export interface TabState {
  tabId: number;
  /** The top-level document's site key, or null for pages IceGuard does not run in. */
  site: string | null;
  mode: SiteMode | null;
  source: ModeSource | null;
  /** An "Allow once" grant holds for this site in this tab. */
  once: boolean;
  /** Connections created in this tab since its last top-level navigation. */
  connections: number;
  /** Candidates the page did not get as the browser made them (dropped or renamed). */
  candidatesHidden: number;
  /** Distinct local addresses kept from the page. */
  addressesHidden: number;
  /** Sites of frames in this tab that used WebRTC, other than the top-level site. */
  frameSites: string[];
  /** The site's mode is set by an enterprise rule: the user cannot change it (the popup is read-only). */
  locked: boolean;
  /** Whether the user may give sites `direct` (enterprise AllowUserDirect). */
  userDirect: boolean;
}

/** Enterprise policy as the pages show it (src/shared/managed-policy.ts). */
export interface PolicyView {
  present: boolean;
  locked: boolean;
  /** Settings the user cannot change now, because the policy sets them. */
  lockedSettings: SettingKey[];
  defaultMode: SiteMode | null;
  rules: PolicyRuleView[];
  allowUserDirect: boolean;
  lanHelper: string | null;
  /** Keys that were ignored, and why. */
  errors: { key: string; problem: string }[];
}

export interface SettingsState {
  settings: Settings;
  problems: SettingProblem[];
  version: string;
  browser: 'chrome' | 'firefox';
  /** The browser floor as the browser reports it (privacy.network.webRTCIPHandlingPolicy). */
  floor: FloorState;
  /** The LAN helper: connected (with its version), not installed (with the command), off by policy. */
  helper: { state: string; version?: string; error?: string; policy: string; installCommand: string };
  /** `settings` as the user set them; `effective` as they apply, enterprise policy included. */
  effective: Settings;
  policy: PolicyView;
}

export interface FloorState {
  /** The value IceGuard wants now (null: the browser's own). */
  wanted: string | null;
  value: string | null;
  /** The browser's levelOfControl; `controlled_by_other_extensions` means another extension wins. */
  levelOfControl: string | null;
  /** Lifted for now because a tab of a direct site is open (floorStrict). */
  lifted: boolean;
}

export interface PromptInfo {
  id: string;
  site: string;
  /** The top-level site when the request came from a frame of another site. */
  topSite: string | null;
  trigger: 'rawHost' | 'failed' | 'firstUse';
  tabId: number;
}

export type UiReply =
  | { ok: true; tab: TabState }
  | { ok: true; state: SettingsState }
  | { ok: true; file: string }
  | { ok: true; prompt: PromptInfo }
  | { ok: true }
  | { ok: false; error: string; problems?: SettingProblem[] };

export function isUiRequest(v: unknown): v is UiRequest {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const tab = typeof m.tabId === 'number' && Number.isSafeInteger(m.tabId);
  const str = (k: string, max = 2048) => typeof m[k] === 'string' && (m[k] as string).length <= max;
  switch (m.ui) {
    case 'tab-state':
      return tab;
    case 'settings':
    case 'clear-sites':
    case 'export':
    case 'dismiss-problems':
      return true;
    case 'set-setting':
      return typeof m.key === 'string';
    case 'set-site':
      return str('site') && (m.mode === null || typeof m.mode === 'string');
    case 'allow-once':
    case 'end-once':
      return tab && str('site');
    case 'import':
      return typeof m.text === 'string';
    case 'prompt':
      return str('id', 64);
    case 'prompt-answer':
      return str('id', 64) && (PROMPT_ANSWERS as readonly unknown[]).includes(m.answer);
    default:
      return false;
  }
}
