// Toolbar popup: the current tab's site, its mode and where the mode came from, what IceGuard hid in
// this tab, and the controls to change the site's mode. Changes go to the background as UI requests
// (src/shared/ui-protocol.ts); what is shown is always read back from it, never assumed.
//
// Enterprise policy (issue #6): when a rule sets the site's mode (`tab.locked`) the popup is read-only
// for it; when the organisation does not let users grant direct connections (`!tab.userDirect`),
// "Direct connections" and "Allow once" are not offered. The background refuses both anyway
// (src/background/ui-messages.ts); the popup only says so before the user tries.
//
// `popup.html?tab=<id>` shows that tab instead of the active one (tests and screenshots open the
// popup as a tab of its own). It only reads the state of a tab the extension can already see.
import browser from 'webextension-polyfill';
import { MODES, type Mode } from '../../policy';
import { warns, type SiteAccess } from '../../shared/site-access';
import type { TabState } from '../../shared/ui-protocol';
import { call, UiError } from '../api';
import { choiceRow, el } from '../dom';
import { localize, modeHelp, modeName, sourceName, t } from '../i18n';

const asTab = new URLSearchParams(location.search).get('tab');

/** The shown tab: `?tab=<id>`, else the active tab of this window. */
async function targetTab(): Promise<number | null> {
  if (asTab !== null && /^\d{1,10}$/.test(asTab)) return Number(asTab);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

interface View {
  tab: TabState;
  /** The user's stored decision for the site, if any. */
  decision: Mode | undefined;
  /** That decision, unless the organisation ignores it (direct without AllowUserDirect). */
  live: Mode | undefined;
  /** The mode for the site the choices show: the decision, else what the site gets without one. */
  chosen: Mode | null;
}

let tabId: number | null = null;
let view: View | null = null;
/** The user picked a mode but has not saved it: a refresh must not undo their pick. */
let picked = false;
let busy = false;

async function load(): Promise<View | null> {
  if (tabId === null) return null;
  const { tab } = await call({ ui: 'tab-state', tabId });
  // The background resolves the modes (a rule outranks everything; "Allow once" outranks a decision in
  // this tab only): the choices show the site's own mode, without the grant.
  const decision = tab.decision ?? undefined;
  const live = tab.decisionApplies ? decision : undefined;
  return { tab, decision, live, chosen: tab.ownMode ?? tab.mode };
}

function buildModes(): void {
  const box = el('modes');
  for (const m of MODES) {
    const { row } = choiceRow({ type: 'radio', name: 'mode', value: m, id: `mode-${m}`, label: modeName(m), help: modeHelp(m) });
    if (m === 'direct') {
      // Why the choice is off, when the organisation turns it off: visible whether or not it is picked.
      const why = Object.assign(document.createElement('p'), { id: 'mode-direct-why', className: 'why', textContent: t('popupDirectNotAllowed'), hidden: true });
      row.append(why);
    }
    box.append(row);
  }
  box.addEventListener('change', () => {
    picked = true;
    syncButtons();
  });
}

const radios = () => [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];
const pickedMode = (): Mode | undefined => radios().find((r) => r.checked)?.value as Mode | undefined;

/** Read-only when a rule sets the mode; "direct" only where the organisation lets the user grant it. */
function syncLocks(tab: TabState): void {
  el('locked').hidden = !tab.locked;
  el<HTMLFieldSetElement>('choices').disabled = tab.locked;
  el('actions').hidden = el('applies').hidden = tab.locked;
  const direct = el<HTMLInputElement>('mode-direct');
  direct.disabled = !tab.userDirect;
  const why = !tab.userDirect && !tab.locked; // locked: the lock line says it all
  el('mode-direct-why').hidden = !why;
  direct.setAttribute('aria-describedby', why ? 'mode-direct-help mode-direct-why' : 'mode-direct-help');
}

function syncButtons(): void {
  if (!view) return;
  const { tab, decision, live, chosen } = view;
  // Nothing to save only when the pick is the stored decision: an undecided site can keep the mode it
  // has as a decision of its own (remembered, and no prompt asks about it again).
  const unchanged = decision !== undefined && pickedMode() === (live ?? chosen);
  el<HTMLButtonElement>('save').disabled = busy || tab.locked || pickedMode() === undefined || unchanged;
  el('once').hidden = el('once-help').hidden = tab.mode === 'direct' || tab.locked || !tab.userDirect;
  el('forget').hidden = decision === undefined || tab.locked;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#change button')) if (b.id !== 'save') b.disabled = busy;
}

const NO_ACCESS_TEXT: Partial<Record<SiteAccess, string>> = { withheld: 'popupNoAccessWithheld', hidden: 'popupNoAccessHidden', 'not-running': 'popupNoAccessNotRunning' };

/** The warning where IceGuard is not protecting the page, with what the user can do about it. */
function renderAccess(tab: TabState | undefined): void {
  const access = tab?.access;
  el('no-access').hidden = !warns(access);
  el('no-access-text').textContent = access && NO_ACCESS_TEXT[access] ? t(NO_ACCESS_TEXT[access]) : '';
  const grant = el<HTMLButtonElement>('grant-access');
  grant.hidden = !tab?.accessPattern;
  grant.textContent = t(access === 'hidden' ? 'popupGrantAllSites' : 'popupGrantSite');
  el('reload-tab').hidden = access !== 'not-running';
}

function render(v: View | null): void {
  view = v;
  const tab = v?.tab;
  const web = Boolean(tab?.site && tab.mode && tab.source);
  renderAccess(tab);
  // A page IceGuard cannot see: it may be a web site, so not "Not a web site".
  el('site').textContent = tab?.site ?? t(tab?.access === 'hidden' ? 'popupUnknownPage' : 'popupNoSite');
  el('site').classList.toggle('site', web);
  el('not-here').hidden = web || tab?.access === 'hidden';
  el('details').hidden = !web;
  if (tab && tab.mode && tab.source) {
    el('mode').textContent = modeName(tab.mode);
    el('source').textContent = sourceName(tab.source);
    el('once-note').hidden = tab.source !== 'user-once';
    el('direct-ignored').hidden = view?.decision === undefined || view.decision === view.live || tab.locked;
    if (tab.locked) picked = false; // a rule arrived while the popup was open: show its mode, not a pick
    syncLocks(tab);
    el('use').textContent = t(tab.connections > 0 ? 'popupInUse' : 'popupNotUsed');
    el('stats').hidden = tab.connections === 0;
    el('connections').textContent = String(tab.connections);
    el('addresses').textContent = String(tab.addressesHidden);
    el('candidates').textContent = String(tab.candidatesHidden);
    el('frames').hidden = tab.frameSites.length === 0;
    el('frame-list').replaceChildren(...tab.frameSites.map((s) => Object.assign(document.createElement('li'), { textContent: s })));
    if (!picked) for (const r of radios()) r.checked = r.value === v?.chosen;
    syncButtons();
  }
  el('main').setAttribute('aria-busy', 'false');
}

function showError(e: unknown): void {
  el('error').textContent = e instanceof UiError ? e.message : String(e);
}

async function refresh(): Promise<void> {
  try {
    render(await load());
  } catch (e) {
    showError(e);
  }
}

/** Runs a change, then shows the state the background reports afterwards and says what happened. */
async function act(request: Parameters<typeof call>[0], said: (v: View) => string): Promise<void> {
  if (busy) return;
  const from = document.activeElement;
  busy = true;
  syncButtons();
  el('status').textContent = '';
  el('error').textContent = '';
  try {
    await call(request);
    picked = false;
    const v = await load();
    busy = false;
    render(v);
    if (v) el('status').textContent = said(v);
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
    syncButtons();
  }
  // The control used may now be gone or disabled (Forget, Allow once, Save): keep the focus in the choices.
  if (from instanceof HTMLButtonElement && (from.disabled || from.offsetParent === null)) radios().find((r) => r.checked)?.focus();
}

function wire(): void {
  el('change').addEventListener('submit', (e) => {
    e.preventDefault();
    const mode = pickedMode();
    const site = view?.tab.site;
    if (!mode || !site) return;
    void act({ ui: 'set-site', site, mode }, () => t('popupSaved', [modeName(mode)]));
  });
  el('once').addEventListener('click', () => {
    const site = view?.tab.site;
    if (site && tabId !== null) void act({ ui: 'allow-once', tabId, site }, () => t('popupAllowedOnce'));
  });
  el('end-once').addEventListener('click', () => {
    const site = view?.tab.site;
    if (site && tabId !== null) void act({ ui: 'end-once', tabId, site }, (v) => t('popupOnceEnded', [v.tab.mode ? modeName(v.tab.mode) : '']));
  });
  el('forget').addEventListener('click', () => {
    const site = view?.tab.site;
    if (site) void act({ ui: 'set-site', site, mode: null }, (v) => t('popupForgotten', [v.tab.mode ? modeName(v.tab.mode) : '']));
  });
  // permissions.request must run in the click itself (a user gesture). The page then needs a reload:
  // content scripts start with a document.
  el('grant-access').addEventListener('click', () => {
    const pattern = view?.tab.accessPattern;
    if (!pattern) return;
    browser.permissions.request({ origins: [pattern] }).then(async (granted) => {
      el('status').textContent = t(granted ? 'popupAccessGranted' : 'popupAccessNotGranted');
      if (granted && tabId !== null) await browser.tabs.reload(tabId);
      await refresh();
    }, showError);
  });
  el('reload-tab').addEventListener('click', () => {
    if (tabId !== null) void browser.tabs.reload(tabId).then(refresh, showError);
  });
  el('options').addEventListener('click', () => {
    void browser.runtime.openOptionsPage().then(() => {
      if (asTab === null) window.close();
    }, showError);
  });
  // Counts and decisions change while the popup is open (the page keeps connecting, another window
  // decides): show them as they come. Both stores are the background's; the popup only reads.
  // So do the page's loading and IceGuard's access to it (the warning above).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void (busy || refresh()), 150);
  };
  browser.storage.onChanged.addListener(later);
  browser.tabs.onUpdated.addListener((id, change) => {
    if (id === tabId && change.status !== undefined) later();
  });
  browser.permissions.onAdded.addListener(later);
  browser.permissions.onRemoved.addListener(later);
}

async function main(): Promise<void> {
  localize();
  buildModes();
  wire();
  try {
    tabId = await targetTab();
  } catch (e) {
    showError(e);
  }
  await refresh();
}

void main();
