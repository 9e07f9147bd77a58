// Toolbar popup: the current tab's site, its mode and where it came from, what was hidden, and the
// control to change the site's mode.
import browser from 'webextension-polyfill';
import { SITE_MODES, type SiteMode } from '../../shared/modes';
import type { TabState } from '../../shared/ui-protocol';
import { call, UiError } from '../api';
import { localize, modeName, sourceName, t } from '../i18n';

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  localize();
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return;
  const state = (await call<{ ok: true; tab: TabState }>({ ui: 'tab-state', tabId: tab.id })).tab;
  el('site').textContent = state.site ?? t('popupNoSite');
  if (!state.site || !state.mode || !state.source) return;
  el('mode').textContent = t('popupModeIs', [modeName(state.mode), sourceName(state.source)]);
  el('counts').textContent = t('popupCounts', [String(state.connections), String(state.addressesHidden), String(state.candidatesHidden)]);
  const select = el<HTMLSelectElement>('choose');
  for (const m of SITE_MODES) select.add(new Option(modeName(m), m, false, m === state.mode));
  select.addEventListener('change', async () => {
    try {
      await call({ ui: 'set-site', site: state.site!, mode: select.value as SiteMode });
    } catch (e) {
      el('status').textContent = e instanceof UiError ? e.message : String(e);
    }
  });
}

void main();
