// The permission prompt (docs/design.md "Consent"): an extension page in a window of its own, opened by the
// background (src/background/prompt.ts). It names the site and asks; its answer is the only thing
// that can grant `direct`. Closing the window decides nothing.
import { PROMPT_ANSWERS, type PromptAnswer, type PromptInfo } from '../../shared/ui-protocol';
import { el } from '../dom';
import { call, UiError } from '../api';
import { localize, t } from '../i18n';

const REASON_KEYS: Record<PromptInfo['trigger'], string> = {
  rawHost: 'promptReasonRawHost',
  failed: 'promptReasonFailed',
  firstUse: 'promptReasonFirstUse',
};

/** How long the prompt must have been shown and focused before it takes an answer. */
const ARM_MS = 1000;

async function main(): Promise<void> {
  localize();
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const status = el('status');
  const buttons = PROMPT_ANSWERS.map((a) => el<HTMLButtonElement>(a));
  // Like the browser's own permission prompts: no answer is taken until the window has been shown
  // (and, after it lost focus, focused again) for ARM_MS, so a key or click meant for the page cannot
  // answer it; the focused answer is the safe one, "keep hiding".
  let armedAt = Infinity;
  const arm = () => {
    armedAt = performance.now() + ARM_MS;
    for (const b of buttons) b.setAttribute('aria-disabled', 'true');
    document.documentElement.dataset.armed = 'false';
    setTimeout(() => {
      if (performance.now() + 1 < armedAt) return; // re-armed meanwhile
      for (const b of buttons) b.removeAttribute('aria-disabled');
      document.documentElement.dataset.armed = 'true';
    }, ARM_MS);
  };
  const armed = () => performance.now() >= armedAt;
  window.addEventListener('focus', arm);
  window.addEventListener('blur', () => void (armedAt = Infinity));
  document.addEventListener('visibilitychange', () => void (document.visibilityState === 'visible' ? arm() : (armedAt = Infinity)));
  arm();
  let prompt: PromptInfo;
  try {
    prompt = (await call({ ui: 'prompt', id })).prompt;
  } catch (e) {
    status.textContent = e instanceof UiError ? e.message : String(e);
    for (const b of buttons) b.disabled = true;
    return;
  }
  el('site').textContent = prompt.site;
  if (prompt.topSite) {
    el('top-site').textContent = prompt.topSite;
    el('frame').hidden = false;
  }
  el('reason').textContent = t(REASON_KEYS[prompt.trigger]);
  document.title = t('promptWindowTitleSite', [prompt.site]);
  const answer = async (a: PromptAnswer) => {
    for (const b of buttons) b.disabled = true;
    try {
      await call({ ui: 'prompt-answer', id, answer: a });
      window.close(); // the background closes the window too; this covers a background that is slow
    } catch (e) {
      status.textContent = e instanceof UiError ? e.message : String(e);
    }
  };
  for (const b of buttons) b.addEventListener('click', () => void (armed() && answer(b.id as PromptAnswer)));
  buttons[0]?.focus();
}

void main();
