// The options page's choices, one row each (src/ui/dom.ts `choiceRow`, as the popup's): the lists
// from where the settings declare them (src/policy/mode.ts MODES, src/shared/settings.ts
// PROMPT_TRIGGERS and BROWSER_FLOORS), so a new mode, trigger or floor level gets its row without a
// change to the page, and the two settings that are one checkbox each.
import { MODES, type Mode } from '../src/policy';
import { BROWSER_FLOORS, PROMPT_TRIGGERS, type BrowserFloor, type PromptTrigger } from '../src/shared/settings';
import type { UiRequest } from '../src/shared/ui-protocol';
import { choiceRow, el } from '../src/ui/dom';
import { modeHelp, modeName, t } from '../src/ui/i18n';

type Save = (request: UiRequest) => Promise<boolean>;

/** A trigger's words: its label, and its help with `Help` after the key. */
const TRIGGER_KEYS: Record<PromptTrigger, string> = { rawHost: 'optionsPromptRawHost', failed: 'optionsPromptFailed', firstUse: 'optionsPromptFirstUse' };
/** A floor level's words, as TRIGGER_KEYS. */
const FLOOR_KEYS: Record<BrowserFloor, string> = { none: 'optionsFloorNone', 'public-interface-only': 'optionsFloorPublic', 'disable-non-proxied-udp': 'optionsFloorProxy' };

/** The default mode, one radio a mode; "direct" carries its caution and the place for why it is off. */
function defaultModes(save: Save): void {
  const box = el('default-mode');
  for (const m of MODES) {
    const { row, input, help } = choiceRow({ type: 'radio', name: 'defaultMode', id: `default-${m}`, value: m, label: modeName(m), help: modeHelp(m) });
    if (m === 'direct') directNotes(row, help);
    box.append(row);
    input.addEventListener('change', () => void save({ ui: 'set-setting', key: 'defaultMode', value: m satisfies Mode }));
  }
}

function directNotes(row: HTMLElement, help: HTMLElement): void {
  help.append(Object.assign(document.createElement('span'), { className: 'caution', textContent: ' ' + t('optionsDefaultDirectCaution') }));
  // Shown when the organisation does not let users grant direct connections (options/policy.ts).
  row.append(Object.assign(document.createElement('p'), { id: 'default-direct-why', className: 'help why', textContent: t('optionsDirectNotAllowed'), hidden: true }));
}

/** The prompt triggers, one checkbox each; a change sends all of them (the setting is one object). */
function promptTriggers(save: Save): void {
  const box = el('prompts');
  const checked = () => Object.fromEntries(PROMPT_TRIGGERS.map((k) => [k, el<HTMLInputElement>(`prompt-${k}`).checked])) as Record<PromptTrigger, boolean>;
  for (const k of PROMPT_TRIGGERS) {
    const key = TRIGGER_KEYS[k];
    const { row, input } = choiceRow({ type: 'checkbox', id: `prompt-${k}`, label: t(key), help: t(`${key}Help`) });
    input.dataset.trigger = k;
    box.append(row);
    input.addEventListener('change', () => void save({ ui: 'set-setting', key: 'prompts', value: checked() }));
  }
}

/** The browser floor, one radio a level. */
function floorLevels(save: Save): void {
  const box = el('floor');
  for (const f of BROWSER_FLOORS) {
    const key = FLOOR_KEYS[f];
    const { row, input } = choiceRow({ type: 'radio', name: 'floor', id: `floor-${f}`, value: f, label: t(key), help: t(`${key}Help`) });
    box.append(row);
    input.addEventListener('change', () => void save({ ui: 'set-setting', key: 'floor', value: f }));
  }
}

/** The settings that are one checkbox: where each goes, and its words. */
const SWITCHES: { key: 'lanNames' | 'floorStrict'; id: string; label: string; help: string; place: (row: HTMLElement) => void }[] = [
  { key: 'lanNames', id: 'lan-names', label: 'optionsLanNamesLabel', help: 'optionsLanNamesHelp', place: (row) => el('lan-names-section').append(row) },
  { key: 'floorStrict', id: 'floor-strict', label: 'optionsFloorStrict', help: 'optionsFloorStrictHelp', place: (row) => el('floor').after(row) },
];

function switches(save: Save): void {
  for (const { key, id, label, help, place } of SWITCHES) {
    const { row, input } = choiceRow({ type: 'checkbox', id, label: t(label), help: t(help) });
    place(row);
    input.addEventListener('change', () => void save({ ui: 'set-setting', key, value: input.checked }));
  }
}

/** Fills in every choice of the page, each change sent through `save`. */
export function buildChoices(save: Save): void {
  defaultModes(save);
  switches(save);
  promptTriggers(save);
  floorLevels(save);
}
