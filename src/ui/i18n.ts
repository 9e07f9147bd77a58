// Text for IceGuard's pages, all from _locales (src/locales/<lang>/*.json, merged by build.mjs).
// Markup names its strings: data-i18n="key" sets the text, data-i18n-<attr>="key" sets an attribute
// (data-i18n-aria-label, data-i18n-title, data-i18n-placeholder).
import browser from 'webextension-polyfill';
import type { Mode, ModeSource } from '../policy';

/** The message, or the key itself when it is missing (visible in review, never a blank). */
export function t(key: string, substitutions?: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

export function localize(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    for (const attr of [...el.attributes]) {
      if (attr.name === 'data-i18n') el.textContent = t(attr.value);
      else if (attr.name.startsWith('data-i18n-')) el.setAttribute(attr.name.slice('data-i18n-'.length), t(attr.value));
    }
  }
  // The language of the messages actually used (getUILanguage() can differ: measured, LANGUAGE=de gives
  // German messages while it still says en-US).
  document.documentElement.lang = t('uiLang');
}

const MODE_KEYS: Record<Mode, string> = { direct: 'modeDirect', 'srflx-only': 'modeSrflxOnly', 'relay-only': 'modeRelayOnly', off: 'modeOff' };
export const modeName = (m: Mode): string => t(MODE_KEYS[m]);
export const modeHelp = (m: Mode): string => t(MODE_KEYS[m] + 'Help');

const SOURCE_KEYS: Record<ModeSource, string> = {
  builtin: 'sourceBuiltin',
  'user-default': 'sourceUserDefault',
  'user-site': 'sourceUserSite',
  'user-once': 'sourceUserOnce',
  'enterprise-rule': 'sourceEnterpriseRule',
  'enterprise-default': 'sourceEnterpriseDefault',
};
export const sourceName = (s: ModeSource): string => t(SOURCE_KEYS[s]);
