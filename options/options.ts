// Options page (issue #5): default mode, LAN names, prompt triggers, site decisions, browser floor,
// export/import, repair notices. Every change goes to the background at once (set-setting /
// set-site); the page shows what the background then reports, and follows changes made elsewhere
// (popup, prompt, another options tab, a new enterprise policy) through storage.onChanged. Settings
// that enterprise policy sets are shown as they apply (`effective`, the enterprise default mode) and
// locked (options/policy.ts).
import browser from 'webextension-polyfill';
import { MODES } from '../src/policy';
import { PROMPT_TRIGGERS, SETTING_KEYS } from '../src/shared/settings';
import type { ErrorEntry, SettingsState, UiRequest } from '../src/shared/ui-protocol';
import { NATIVE_PERMISSION } from '../src/shared/helper-protocol';
import { call } from '../src/ui/api';
import { localize, t } from '../src/ui/i18n';
import { el } from '../src/ui/dom';
import { buildChoices } from './choices';
import { errorText, problemItem, status } from './dom';
import { lockControls, placeOrgNotes, renderPolicy } from './policy';
import { renderSites, setUpSites } from './sites';
import { setUpTransfer } from './transfer';

let state: SettingsState | null = null;

/** Fetches the settings and shows them. */
async function refresh(): Promise<void> {
  try {
    state = (await call({ ui: 'settings' })).state;
  } catch (e) {
    status(t('optionsLoadFailed', [errorText(e)]), true);
    return;
  }
  render(state);
  el('main').setAttribute('aria-busy', 'false');
  await renderErrors();
}

/** The background's error log (src/background/error-log.ts), newest first; the section only when there is one. */
async function renderErrors(): Promise<void> {
  let errors: ErrorEntry[];
  try {
    errors = (await call({ ui: 'errors' })).errors;
  } catch {
    return; // the log is a help for finding faults, never one more
  }
  el('errors').hidden = errors.length === 0;
  el('errors-list').replaceChildren(
    ...errors
      .slice()
      .reverse()
      .map((e) => Object.assign(document.createElement('li'), { textContent: t('optionsErrorsItem', [new Date(e.at).toLocaleString(), e.where, e.message]) })),
  );
}

/** Sends one change; says "Saved" or shows the background's reason, then shows what is stored. */
async function save(request: UiRequest): Promise<boolean> {
  let done = false;
  try {
    await call(request);
    status(t('optionsSaved'));
    done = true;
  } catch (e) {
    status(t('optionsNotSaved', [errorText(e)]), true);
  }
  await refresh();
  return done;
}

function render(s: SettingsState): void {
  const { settings, policy } = s;
  // As they apply: with a policy, its values where it sets them (locked, or a default the user left alone).
  const shown = s.effective;
  // As the background resolves it: the enterprise default first, a direct default ignored without AllowUserDirect.
  for (const m of MODES) el<HTMLInputElement>(`default-${m}`).checked = s.defaultMode === m;
  el<HTMLInputElement>('lan-names').checked = shown.lanNames;
  for (const k of PROMPT_TRIGGERS) el<HTMLInputElement>(`prompt-${k}`).checked = shown.prompts[k];
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="floor"]')) input.checked = input.value === shown.floor;
  el<HTMLInputElement>('floor-strict').checked = shown.floorStrict;
  renderPolicy(policy);
  lockControls(policy);
  el('floor-state').textContent = floorText(s);
  renderHelper(s.helper);

  const problems = el('problems');
  problems.hidden = s.problems.length === 0;
  el('problems-list').replaceChildren(...s.problems.map(problemItem));

  renderSites(settings.sites, policy, s.ruledSites);
  el('version').textContent = t('optionsVersion', [s.version, s.browser === 'firefox' ? 'Firefox' : 'Chrome/Chromium']);
}

/** The LAN helper: connected (version), not installed (with the command), off by policy, or its error. */
function renderHelper(h: SettingsState['helper'] | undefined): void {
  if (!h) return;
  const text: Record<string, string> = {
    connected: t('optionsHelperConnected', [h.version ?? '?']),
    'not-installed': t(h.policy === 'required' ? 'optionsHelperMissingRequired' : 'optionsHelperMissing'),
    'not-allowed': t('optionsHelperNotAllowed'),
    connecting: t('optionsHelperConnecting'),
    off: t('optionsHelperOff'),
    error: t('optionsHelperError', [h.error ?? '']),
    'needs-permission': t('optionsHelperNeedsPermission'),
  };
  el('helper-status').textContent = text[h.state] ?? h.state;
  el('helper-status').classList.toggle('error', h.state === 'error' || h.state === 'not-allowed' || (h.policy === 'required' && (h.state === 'not-installed' || h.state === 'needs-permission')));
  // The organisation turned the helper on, but a policy cannot grant the browser's permission: the user does.
  const asking = h.state === 'needs-permission';
  el('helper-org').hidden = !(asking && h.policy === 'required');
  el('helper-grant').hidden = el('helper-grant-help').hidden = !asking;
  el('helper-install').hidden = h.state === 'connected' || h.state === 'off';
  el('helper-command').textContent = h.installCommand;
}

/** What the browser reports about its own setting, when that differs from a plain "as chosen". */
function floorText(s: SettingsState): string {
  const f = s.floor as SettingsState['floor'] | undefined; // absent when the background predates the floor
  if (!f) return '';
  if (f.levelOfControl === 'not_available') return t('optionsFloorUnavailable');
  if (f.levelOfControl === 'controlled_by_other_extensions') return t('optionsFloorOtherExtension');
  if (f.levelOfControl === 'not_controllable') return t('optionsFloorNotControllable');
  if (f.lifted) return t('optionsFloorLifted');
  const named: Record<string, string> = { default_public_interface_only: 'optionsFloorPublic', disable_non_proxied_udp: 'optionsFloorProxy' };
  if (!f.value || f.value === 'default') return t('optionsFloorBrowserDefault');
  return t('optionsFloorBrowserValue', [named[f.value] ? t(named[f.value] as string) : f.value]);
}

function wire(): void {
  el('problems-dismiss').addEventListener('click', () => {
    void save({ ui: 'dismiss-problems' }).then((ok) => {
      if (ok) el('default-title').focus(); // the notice (and its button) is gone: keep focus on the page
    });
  });
  el('default-title').tabIndex = -1;
  // permissions.request must run in the click itself (a user gesture); the background connects once
  // the permission is there (permissions.onAdded), and the page shows it below.
  el('helper-grant').addEventListener('click', () => {
    browser.permissions.request(NATIVE_PERMISSION).then(
      (granted) => {
        status(t(granted ? 'optionsHelperGranted' : 'optionsHelperNotGranted'), !granted);
        return refresh();
      },
      (e: unknown) => status(t('optionsNotSaved', [errorText(e)]), true),
    );
  });
}

// Changes from elsewhere: load again, once per burst, and only when something shown here changed.
// managedPolicyCache: the background caches every policy it applies (src/background/managed.ts).
const WATCHED = new Set<string>([...SETTING_KEYS, 'version', 'settingsProblems', 'managedPolicyCache']);
let pending: ReturnType<typeof setTimeout> | undefined;
const refreshLater = () => {
  clearTimeout(pending);
  pending = setTimeout(() => void refresh(), 100);
};
browser.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  const relevant = Object.entries(changes).some(([k, c]) => WATCHED.has(k) && JSON.stringify(c.oldValue) !== JSON.stringify(c.newValue));
  if (relevant) refreshLater();
});
// The LAN helper's permission, granted or taken away here or in the browser's own settings.
browser.permissions.onAdded.addListener(refreshLater);
browser.permissions.onRemoved.addListener(refreshLater);

localize();
// The language of the messages actually shown: getUILanguage() can differ from it (measured in
// Chromium started with LANGUAGE=de: German messages, getUILanguage() "en-US").
document.documentElement.lang = t('optionsLang');
buildChoices(save);
placeOrgNotes();
wire();
setUpSites(save, () => state?.settings.sites ?? {});
setUpTransfer(refresh);
void refresh();
