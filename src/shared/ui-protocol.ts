// Messages from IceGuard's own pages (toolbar popup, permission prompt, options page) to the
// background. Only extension pages may send them: the background checks the sender's URL, so a web
// page (or its relay) that sends the same shapes gets nothing (src/background/ui-messages.ts).
import type { ModeSource } from '../policy';
import { MODES, type Mode } from '../policy/mode';
import type { LanHelperPolicy, PolicyRuleView } from './managed-policy';
import { channel, entryOf, nullable, number, object, oneOf, string, type Infer, type KindTable, type MessageOf } from './schema';
import type { SiteAccess } from './site-access';
import { SETTING_SCHEMAS, type Settings, type SettingKey, type SettingProblem } from './settings';

export const PROMPT_ANSWERS = ['hide', 'once', 'always', 'block'] as const;
export type PromptAnswer = (typeof PROMPT_ANSWERS)[number];

const tabId = number({ integer: true });
/** A site as the pages name it (the background makes it a site key, or refuses it). */
const site = string(2048);
const promptId = string(64);

/** The requests, one entry a kind: UiRequest and its reader (UI_CHANNEL) both come from this table. */
const UI_REQUESTS = {
  /** What IceGuard knows about a tab: its site, mode and what was hidden. */
  'tab-state': { tabId },
  /** The settings, decisions and repair notices. */
  settings: {},
  /** One setting: a key IceGuard knows, with a value that setting takes. */
  'set-setting': entryOf(SETTING_SCHEMAS, 'a setting'),
  /** The user's mode for a site (null: remove the decision). */
  'set-site': { site, mode: nullable(oneOf(MODES)) },
  'clear-sites': {},
  /** "Allow once": direct for this site in this tab until the tab closes. */
  'allow-once': { tabId, site },
  /** Ends an "Allow once" grant before the tab closes. */
  'end-once': { tabId, site },
  /** A settings file; its size is judged by parseSettingsFile, which says so in the user's terms. */
  import: { text: string(Infinity) },
  export: {},
  'dismiss-problems': {},
  /** The prompt page asks what it is about. */
  prompt: { id: promptId },
  'prompt-answer': { id: promptId, answer: oneOf(PROMPT_ANSWERS) },
  /** The background's error log (src/background/error-log.ts), oldest first. */
  errors: {},
} satisfies KindTable;

export type UiRequest = MessageOf<'ui', typeof UI_REQUESTS>;

/** Reads a request: the request itself (declared keys only), or why it is not one. */
export const UI_CHANNEL = channel('ui', UI_REQUESTS, { noun: 'request' });

export interface TabState {
  tabId: number;
  /** The top-level document's site key, or null for pages IceGuard does not run in. */
  site: string | null;
  mode: Mode | null;
  source: ModeSource | null;
  /**
   * The site's own mode, leaving out an "Allow once" grant of this tab (a rule, else the user's
   * decision where it applies, else the default): what the popup's choices show.
   */
  ownMode: Mode | null;
  /** The user's stored decision for the site, if any. */
  decision: Mode | null;
  /** Whether that decision is in force (a `direct` decision is not, where the organisation forbids it). */
  decisionApplies: boolean;
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
  /** Whether IceGuard runs on the tab's page, and if not why (src/shared/site-access.ts). */
  access: SiteAccess;
  /** The host permission the popup asks for to protect the page (`withheld`, `hidden`), else null. */
  accessPattern: string | null;
}

/** Enterprise policy as the pages show it (src/shared/managed-policy.ts). */
export interface PolicyView {
  present: boolean;
  locked: boolean;
  /** Settings the user cannot change now, because the policy sets them. */
  lockedSettings: SettingKey[];
  defaultMode: Mode | null;
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
  /** The LAN helper: connected (with its version), not installed (with the command to install it), off by policy. */
  helper: HelperStatus & { installCommand: string };
  /** `settings` as the user set them; `effective` as they apply, enterprise policy included. */
  effective: Settings;
  policy: PolicyView;
  /** The mode of a site with no decision and no rule, as it applies (the enterprise default first). */
  defaultMode: Mode;
  /** Sites with a decision that an enterprise rule overrides: the first rule that matches each. */
  ruledSites: Record<string, { source: string; mode: Mode }>;
}

/** The LAN helper as the background sees it (src/background/lan-helper.ts). */
export interface HelperStatus {
  /**
   * `not-allowed`: installed, but its manifest does not list this build's id (Chromium says "forbidden").
   * `needs-permission`: the user has not granted the optional `nativeMessaging` permission (an
   * enterprise policy cannot grant it either), so IceGuard does not try to connect.
   */
  state: 'off' | 'needs-permission' | 'not-installed' | 'not-allowed' | 'connecting' | 'connected' | 'error';
  version?: string;
  error?: string;
  /** The LanHelper policy: `required` makes a missing helper a problem the pages show. */
  policy: LanHelperPolicy;
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

/** One entry of the background's error log: when, which part caught it ("floor", "mode hints"), and what. */
export const ERROR_ENTRY = object({ at: number(), where: string(64), message: string(500) }, 'ignore');
export type ErrorEntry = Infer<typeof ERROR_ENTRY>;

/** What a request of each kind answers when it succeeds; kinds not listed answer `{ ok: true }` alone. */
interface UiAnswers {
  'tab-state': { tab: TabState };
  settings: { state: SettingsState };
  export: { file: string };
  prompt: { prompt: PromptInfo };
  errors: { errors: ErrorEntry[] };
}
type AnswerOf<K> = K extends keyof UiAnswers ? UiAnswers[K] : unknown;

/** The reply to a request of kind K (any kind by default): its answer, or why not. */
export type UiReply<K extends UiRequest['ui'] = UiRequest['ui']> =
  | (K extends unknown ? { ok: true } & AnswerOf<K> : never)
  | { ok: false; error: string; problems?: SettingProblem[] };
