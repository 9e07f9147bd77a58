// Enterprise policy on the options page (issue #6, docs/design.md "Enterprise policy"): the "Managed by your
// organisation" section, and the locks on the controls the policy sets. The background enforces all of it
// (src/background/ui-messages.ts refuses locked changes); this page says so before anyone tries.
import type { SettingKey } from '../src/shared/settings';
import type { PolicyView } from '../src/shared/ui-protocol';
import { modeName, t } from '../src/ui/i18n';
import { el, orgNote } from '../src/ui/dom';
import { problemItem } from './dom';

/** Adds or removes one id in aria-describedby (a hidden note must not describe a control: accname reads it anyway). */
export function describedBy(e: Element, id: string, on: boolean): void {
  const ids = (e.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) e.setAttribute('aria-describedby', ids.join(' '));
  else e.removeAttribute('aria-describedby');
}

const LAN_HELPER_KEYS: Record<string, string> = { off: 'optionsPolicyLanHelperOff', optional: 'optionsPolicyLanHelperOptional', required: 'optionsPolicyLanHelperRequired' };

function ruleItem(r: PolicyView['rules'][number]): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.pattern = r.url;
  li.append(
    Object.assign(document.createElement('code'), { className: 'rule-url', textContent: r.url }),
    ': ',
    Object.assign(document.createElement('strong'), { className: 'rule-mode', textContent: modeName(r.mode) }),
    ' ',
    Object.assign(document.createElement('span'), { className: 'rule-from muted', textContent: t('optionsPolicyFrom', [r.from]) }),
  );
  return li;
}

export function renderPolicy(p: PolicyView): void {
  el('policy').hidden = !p.present;
  el('policy-errors').hidden = p.errors.length === 0;
  el('policy-errors-list').replaceChildren(...p.errors.map(problemItem));
  el('policy-locked').textContent = t(p.locked ? 'optionsPolicyLocked' : 'optionsPolicyNotLocked');
  el('policy-default').textContent = p.defaultMode ? modeName(p.defaultMode) : t('optionsPolicyNotSet');
  el('policy-user-direct').textContent = t(p.allowUserDirect ? 'optionsPolicyYes' : 'optionsPolicyNo');
  const helper = p.lanHelper === null ? 'optionsPolicyNotSet' : LAN_HELPER_KEYS[p.lanHelper];
  el('policy-lan-helper').textContent = helper ? t(helper) : String(p.lanHelper);
  el('policy-rules').replaceChildren(...p.rules.map(ruleItem));
  el('policy-no-rules').hidden = p.rules.length > 0;
}

/** The control (an input, or a fieldset of them) and the "Set by your organisation" note of each lockable setting. */
const LOCKABLE: { key: SettingKey; control: string; note: string }[] = [
  { key: 'defaultMode', control: 'default-mode', note: 'org-defaultMode' },
  { key: 'lanNames', control: 'lan-names', note: 'org-lanNames' },
  { key: 'prompts', control: 'prompts', note: 'org-prompts' },
  { key: 'floor', control: 'floor', note: 'org-floor' },
  { key: 'floorStrict', control: 'floor-strict', note: 'org-floor' },
];

/**
 * The "Set by your organisation" note of each lockable setting, hidden until a policy sets it: at the
 * top of its fieldset (after the legend), or above its own row for a single checkbox.
 */
export function placeOrgNotes(): void {
  for (const { control, note } of LOCKABLE) {
    if (document.getElementById(note)) continue; // one note for several controls (the floor)
    const c = el(control);
    const n = Object.assign(orgNote(note, t('optionsSetByOrg')), { hidden: true });
    if (c instanceof HTMLFieldSetElement) (c.querySelector(':scope > legend') ?? c.firstChild)?.after(n);
    else (c.closest('.choice') ?? c).before(n);
  }
}

const inputsOf = (e: HTMLElement): HTMLElement[] => (e instanceof HTMLFieldSetElement ? [...e.querySelectorAll<HTMLElement>('input')] : [e]);

/** Disables what the policy sets, shows the notes, and keeps "direct" out of reach when the organisation says so. */
export function lockControls(p: PolicyView): void {
  const locked = new Set<string>(p.lockedSettings);
  for (const { note } of LOCKABLE) el(note).hidden = !LOCKABLE.some((l) => l.note === note && locked.has(l.key));
  // AllowUserDirect false: IceGuard never asks (the prompt offers what the user may not grant).
  const promptsOff = !p.allowUserDirect;
  el('prompts-off').hidden = !promptsOff;
  for (const { key, control, note } of LOCKABLE) {
    const c = el<HTMLInputElement | HTMLFieldSetElement>(control);
    const off = locked.has(key) || (key === 'prompts' && promptsOff);
    c.disabled = off;
    for (const input of inputsOf(c)) {
      describedBy(input, note, locked.has(key));
      if (key === 'prompts') describedBy(input, 'prompts-off', promptsOff);
    }
  }
  const direct = el<HTMLInputElement>('default-direct');
  direct.disabled = !p.allowUserDirect;
  el('default-direct-why').hidden = p.allowUserDirect;
  describedBy(direct, 'default-direct-why', !p.allowUserDirect);
}
