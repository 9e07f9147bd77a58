// Small helpers the options page's parts share: the status line, problem lists.
import { UiError } from '../src/ui/api';
import { el } from '../src/ui/dom';
import { t } from '../src/ui/i18n';

export const errorText = (e: unknown): string => (e instanceof UiError || e instanceof Error ? e.message : String(e));

let clearTimer: ReturnType<typeof setTimeout> | undefined;
let showTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The live status line ("Saved", or why not). Emptied first and filled a moment later, so a screen
 * reader announces a second "Saved" too; "Saved" goes away after a few seconds, an error stays.
 */
export function status(text: string, error = false): void {
  const line = el('status');
  clearTimeout(clearTimer);
  clearTimeout(showTimer);
  line.textContent = '';
  line.classList.toggle('error', error);
  showTimer = setTimeout(() => {
    line.textContent = text;
    if (!error) clearTimer = setTimeout(() => (line.textContent = ''), 4000);
  }, 50);
}

const KEY_LABELS: Record<string, string> = {
  defaultMode: 'optionsDefaultTitle',
  lanNames: 'optionsLanNamesTitle',
  prompts: 'optionsPromptsTitle',
  floor: 'optionsFloorTitle',
  floorStrict: 'optionsFloorStrictShort',
  sites: 'optionsSitesTitle',
  version: 'optionsKeyVersion',
  file: 'optionsKeyFile',
};

/** One problem as a list item: the setting's name, its key, and the background's words (English). */
export function problemItem(p: { key: string; problem: string }): HTMLLIElement {
  const li = document.createElement('li');
  const label = KEY_LABELS[p.key];
  if (label) li.append(Object.assign(document.createElement('strong'), { textContent: t(label) }), ' ');
  li.append(Object.assign(document.createElement('code'), { textContent: p.key }), `: ${p.problem}`);
  return li;
}
