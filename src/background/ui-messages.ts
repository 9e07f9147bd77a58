// Answers IceGuard's own pages (src/shared/ui-protocol.ts). A message counts only when it comes from
// an extension page of this extension: a content script's sender URL is the web page's, so a page
// that forges these shapes through its relay is ignored (and gets no answer that could leak state).
import browser, { type Runtime } from 'webextension-polyfill';
import { BUILTIN_MODE, isMode, matchesSite, resolveSiteMode, siteKey, OPAQUE_SITE } from '../policy';
import { exportSettings, parseSettingsFile } from '../shared/settings';
import { isRecord } from '../shared/schema';
import { originPattern } from '../shared/site-access';
import { UI_CHANNEL, type PolicyView, type SettingsState, type TabState, type UiReply, type UiRequest } from '../shared/ui-protocol';
import { getEffective, modeInputs, type Effective } from './effective';
import { readErrors } from './error-log';
import { helperStatus, installCommand } from './lan-helper';
import { getPolicy } from './managed';
import { floorStatus } from './floor';
import { answerPrompt, promptInfo } from './prompt';
import { change, setting, tabRecord } from './reactions';
import { decide, dismissProblems, getProblems, getSettings, setSettings } from './settings-store';
import { ALL_SITES, accessOf } from './site-access';
import { modeFor } from './site-modes';
import { endOnce, grantOnce, readTab, safeOrigin } from './tabs';

export function fromExtensionPage(sender: Runtime.MessageSender): boolean {
  const base = browser.runtime.getURL('');
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(base);
}

async function tabState(tabId: number): Promise<TabState> {
  const { access, url } = await accessOf(tabId);
  const origin = url ? safeOrigin(url) : 'null';
  const site = siteKey(origin);
  const web = site !== OPAQUE_SITE;
  const record = await readTab(tabId);
  const counts = record && record.site === site ? record : null;
  const [resolution, own, settings, policy] = await Promise.all([
    web ? modeFor(origin, tabId) : null,
    web ? modeFor(origin) : null,
    getSettings(),
    getPolicy(),
  ]);
  const stored = web ? settings.sites[site] : undefined;
  const decision = isMode(stored) ? stored : null;
  const userDirect = policy.allowUserDirect !== false;
  return {
    tabId,
    site: web ? site : null,
    mode: resolution?.mode ?? null,
    source: resolution?.source ?? null,
    ownMode: own?.mode ?? null,
    decision,
    decisionApplies: decision !== null && (decision !== 'direct' || userDirect),
    once: record?.once.includes(site) ?? false,
    connections: counts?.connections ?? 0,
    candidatesHidden: counts?.candidatesHidden ?? 0,
    addressesHidden: counts?.addresses.length ?? 0,
    frameSites: counts?.frameSites ?? [],
    locked: resolution?.source === 'enterprise-rule',
    userDirect,
    access,
    accessPattern: access === 'withheld' && url ? originPattern(url) : access === 'hidden' ? ALL_SITES : null,
  };
}

const ORG = 'set by your organisation';

/** Refuses what enterprise policy does not let the user do (the pages show it; this enforces it). */
async function checkAllowed(change: { keys?: string[]; site?: string; mode?: string | null }): Promise<void> {
  const e = await getEffective();
  for (const k of change.keys ?? []) if ((e.locked as string[]).includes(k)) throw new Error(`${k} is ${ORG}`);
  // Forgetting a decision (mode null) is always allowed; setting one for a ruled site is not.
  if (change.site !== undefined && change.mode !== null && e.policy.rules.some((r) => matchesSite(r.pattern, change.site!))) throw new Error(`the mode of ${change.site} is ${ORG}`);
  if (change.mode === 'direct' && e.policy.allowUserDirect === false) throw new Error(`direct connections are not allowed by your organisation`);
}

function policyView(e: Effective): PolicyView {
  const p = e.policy;
  return {
    present: p.present,
    locked: p.locked,
    lockedSettings: e.locked,
    defaultMode: p.defaultMode ?? null,
    rules: p.ruleViews,
    allowUserDirect: p.allowUserDirect !== false,
    lanHelper: p.lanHelper ?? null,
    errors: p.errors,
  };
}

function checkedSite(site: string): string {
  const key = siteKey(site);
  if (key === OPAQUE_SITE) throw new Error(`"${site}" is not a web site`);
  return key;
}

async function settingsState(): Promise<SettingsState> {
  const e = await getEffective();
  const settings = await getSettings();
  const ruledSites: SettingsState['ruledSites'] = {};
  for (const site of Object.keys(settings.sites)) {
    const rule = e.policy.rules.find((r) => matchesSite(r.pattern, site));
    if (rule) ruledSites[site] = { source: rule.source, mode: rule.mode };
  }
  const unruled = { ...modeInputs(e, '', false, BUILTIN_MODE), enterpriseRules: [], userSite: undefined };
  return {
    effective: e.settings,
    policy: policyView(e),
    defaultMode: resolveSiteMode('', unruled).mode,
    ruledSites,
    settings,
    problems: await getProblems(),
    version: browser.runtime.getManifest().version,
    browser: __BROWSER__,
    floor: await floorStatus(),
    helper: { ...(await helperStatus()), installCommand: installCommand() },
  };
}

/** Applies a settings file whole, or nothing: a bad value, or one enterprise policy does not allow, refuses it. */
async function importFile(text: string): Promise<UiReply> {
  const parsed = parseSettingsFile(text);
  if (!parsed.ok) return { ok: false, error: 'The file was not imported.', problems: parsed.error };
  const e = await getEffective();
  const settings = parsed.value;
  const refused = [
    ...Object.keys(settings)
      .filter((k) => (e.locked as string[]).includes(k))
      .map((key) => ({ key, problem: ORG })),
    ...Object.entries(settings.sites ?? {})
      .filter(([site, mode]) => e.policy.rules.some((rule) => matchesSite(rule.pattern, site)) || (mode === 'direct' && e.policy.allowUserDirect === false))
      .map(([site]) => ({ key: 'sites', problem: `${site}: ${ORG}` })),
    ...(settings.defaultMode === 'direct' && e.policy.allowUserDirect === false ? [{ key: 'defaultMode', problem: `direct: not allowed by your organisation` }] : []),
  ];
  if (refused.length) return { ok: false, error: 'The file was not imported.', problems: refused };
  await change(Object.keys(settings).map(setting), () => setSettings(settings));
  return { ok: true };
}

async function handle(r: UiRequest): Promise<UiReply> {
  switch (r.ui) {
    case 'tab-state':
      return { ok: true, tab: await tabState(r.tabId) };
    case 'settings':
      return { ok: true, state: await settingsState() };
    case 'set-setting':
      await checkAllowed({ keys: [r.key], mode: r.key === 'defaultMode' ? r.value : undefined });
      await change([setting(r.key)], () => setSettings({ [r.key]: r.value }));
      return { ok: true };
    case 'set-site': {
      const site = checkedSite(r.site);
      const mode = r.mode;
      await checkAllowed({ site, mode });
      await change([setting('sites')], () => decide(site, mode));
      return { ok: true };
    }
    case 'clear-sites':
      await change([setting('sites')], () => setSettings({ sites: {} }));
      return { ok: true };
    case 'allow-once':
      await checkAllowed({ site: checkedSite(r.site), mode: 'direct' });
      await change([tabRecord(r.tabId)], () => grantOnce(r.tabId, checkedSite(r.site)));
      return { ok: true };
    case 'end-once':
      await change([tabRecord(r.tabId)], () => endOnce(r.tabId, checkedSite(r.site)));
      return { ok: true };
    case 'import':
      return importFile(r.text);
    case 'export':
      return { ok: true, file: JSON.stringify(exportSettings(await getSettings()), null, 2) };
    case 'dismiss-problems':
      await dismissProblems();
      return { ok: true };
    case 'prompt': {
      const prompt = await promptInfo(r.id);
      return prompt ? { ok: true, prompt } : { ok: false, error: 'This question has expired.' };
    }
    case 'errors':
      return { ok: true, errors: await readErrors() };
    case 'prompt-answer':
      return (await answerPrompt(r.id, r.answer)) ? { ok: true } : { ok: false, error: 'This question has expired.' };
  }
}

/** Answers a UI request already known to come from one of our pages (or the test bridge). */
export function handleUi(message: unknown): Promise<UiReply> {
  const request = UI_CHANNEL.read(message);
  // The reason goes back to the page: it names the field, as the options page shows it to the user.
  if (!request.ok) return Promise.resolve({ ok: false, error: request.error });
  return handle(request.value).catch((e: unknown) => ({ ok: false as const, error: e instanceof Error ? e.message : String(e) }));
}

/**
 * undefined: not a UI message (or not from our pages), so another listener may answer. Anything with a
 * `ui` kind from our pages is ours, answered with why when it is malformed (a bad setting's reason).
 */
export function answerUi(message: unknown, sender: Runtime.MessageSender): Promise<UiReply> | undefined {
  if (!isRecord(message) || typeof message.ui !== 'string' || !fromExtensionPage(sender)) return undefined;
  return handleUi(message);
}
