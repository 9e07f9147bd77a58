// The list of sites with a decision: add, search, change, remove, clear all (with a confirmation).
// With an enterprise policy: a site a rule matches is marked with that rule and cannot be changed here
// (rules outrank decisions; the background refuses the change), and without AllowUserDirect "direct"
// cannot be picked and a stored direct decision is marked as ignored.
import { MODES, type Mode } from '../src/policy';
import type { PolicyView, SettingsState, UiRequest } from '../src/shared/ui-protocol';
import { modeName, t } from '../src/ui/i18n';
import { el, orgNote } from '../src/ui/dom';
import { describedBy } from './policy';

/** Rows drawn at most; a search narrows the rest down (10 000 decisions are allowed). */
const MAX_ROWS = 300;

type Save = (request: UiRequest) => Promise<boolean>;
let save: Save;
let current: () => Record<string, Mode>;
/** The control to focus after the next drawing (a row's controls are redrawn after every change). */
let focusAfter: string | null = null;
/** Decided sites an enterprise rule overrides (resolved by the background), and whether users may pick direct. */
let ruled: SettingsState['ruledSites'] = {};
let userDirect = true;

function modeSelect(selected: Mode | null): HTMLSelectElement {
  const select = document.createElement('select');
  for (const m of MODES) select.add(new Option(modeName(m), m, false, m === selected));
  if (!userDirect) for (const o of select.options) o.disabled = o.value === 'direct';
  return select;
}

/** A note under a row, naming the select and button it explains. */
function rowNote(id: string, text: string, ...controls: HTMLElement[]): HTMLParagraphElement {
  const note = orgNote(id, text);
  for (const c of controls) describedBy(c, id, true);
  return note;
}

/**
 * What the user typed, as the background expects it: `example.com` means https://example.com. The
 * background makes it a site key (a path is ignored) or refuses it, and the refusal is shown as it is.
 */
export function typedSite(text: string): string {
  const s = text.trim();
  return s.includes('://') ? s : `https://${s}`;
}

function row(site: string, mode: Mode, index: number): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.site = site;
  const name = Object.assign(document.createElement('span'), { className: 'site', textContent: site });
  const select = modeSelect(mode);
  select.setAttribute('aria-label', t('optionsSiteModeFor', [site]));
  select.dataset.focus = `mode ${site}`;
  select.addEventListener('change', () => {
    focusAfter = select.dataset.focus ?? null;
    void save({ ui: 'set-site', site, mode: select.value as Mode });
  });
  const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: t('optionsSiteRemove') });
  remove.setAttribute('aria-label', t('optionsSiteRemoveLabel', [site]));
  remove.dataset.focus = `remove ${site}`;
  remove.addEventListener('click', () => {
    // Focus goes on to the next row's button (or the previous, or the search box) once this row is gone.
    const next = (li.nextElementSibling ?? li.previousElementSibling) as HTMLElement | null;
    focusAfter = next?.dataset.site ? `remove ${next.dataset.site}` : 'search';
    void save({ ui: 'set-site', site, mode: null });
  });
  li.append(name, select, remove);
  const rule = Object.hasOwn(ruled, site) ? ruled[site] : undefined;
  if (rule) {
    select.disabled = true; // Remove stays: forgetting a decision the rule overrides is always allowed
    li.classList.add('overridden');
    li.append(rowNote(`site-note-${index}`, t('optionsSiteOverridden', [rule.source, modeName(rule.mode)]), select, remove));
  } else if (mode === 'direct' && !userDirect) {
    li.append(rowNote(`site-note-${index}`, t('optionsSiteDirectIgnored'), select));
  }
  return li;
}

/** Draws the list; `policy` (when given) is kept for the redraws a search makes. */
export function renderSites(sites: Record<string, Mode>, policy?: PolicyView, ruledSites?: SettingsState['ruledSites']): void {
  if (ruledSites) ruled = ruledSites;
  if (policy) {
    userDirect = policy.allowUserDirect;
    const addMode = el<HTMLSelectElement>('site-add-mode');
    for (const o of addMode.options) o.disabled = o.value === 'direct' && !userDirect;
    if (!userDirect && addMode.value === 'direct') addMode.value = 'srflx-only';
  }
  const list = el('site-list');
  const active = document.activeElement as HTMLElement | null;
  const keep = focusAfter ?? (active && list.contains(active) ? (active.dataset.focus ?? null) : null);
  focusAfter = null;
  const query = el<HTMLInputElement>('site-search').value.trim().toLowerCase();
  const all = Object.keys(sites).sort();
  const shown = query ? all.filter((s) => s.includes(query)) : all;
  list.replaceChildren(...shown.slice(0, MAX_ROWS).map((s, i) => row(s, sites[s] as Mode, i)));
  const count = el('site-count');
  if (all.length === 0) count.textContent = t('optionsSitesNone');
  else if (shown.length > MAX_ROWS) count.textContent = t('optionsSitesTooMany', [String(MAX_ROWS), String(shown.length)]);
  else count.textContent = query ? t('optionsSitesMatching', [String(shown.length), String(all.length)]) : t('optionsSitesCount', [String(all.length)]);
  el<HTMLButtonElement>('sites-clear').disabled = all.length === 0;
  if (keep === 'search') el('site-search').focus();
  else if (keep) [...list.querySelectorAll<HTMLElement>('[data-focus]')].find((e) => e.dataset.focus === keep)?.focus();
}

export function setUpSites(saveFn: Save, sites: () => Record<string, Mode>): void {
  save = saveFn;
  current = sites;
  const addMode = el<HTMLSelectElement>('site-add-mode');
  for (const m of MODES) addMode.add(new Option(modeName(m), m, false, m === 'direct'));

  el<HTMLFormElement>('site-add').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = el<HTMLInputElement>('site-add-name');
    if (!input.value.trim()) return input.focus();
    void save({ ui: 'set-site', site: typedSite(input.value), mode: addMode.value as Mode }).then((ok) => {
      if (ok) input.value = '';
      else input.focus();
    });
  });

  el('site-search').addEventListener('input', () => renderSites(current()));

  const dialog = el<HTMLDialogElement>('clear-dialog');
  el('sites-clear').addEventListener('click', () => {
    el('clear-dialog-text').textContent = t('optionsSitesClearQuestion', [String(Object.keys(current()).length)]);
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'clear') return;
    focusAfter = 'search';
    void save({ ui: 'clear-sites' });
  });
}
