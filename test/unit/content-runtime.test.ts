// src/content/runtime.ts: the content scripts' messaging without webextension-polyfill. A runtime that
// throws at once (Chromium, once the extension was reloaded) must reject, as the polyfill did, so that
// every caller's catch handles it.
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

async function load(browserName: 'chrome' | 'firefox', runtime: object) {
  vi.stubGlobal('__BROWSER__', browserName);
  vi.stubGlobal(browserName === 'firefox' ? 'browser' : 'chrome', { runtime });
  return (await import('../../src/content/runtime')).runtime;
}

describe('content runtime', () => {
  it('uses chrome.runtime in Chromium builds and browser.runtime in Firefox builds', async () => {
    const chromeRuntime = { sendMessage: vi.fn(() => Promise.resolve('from chrome')), onMessage: { addListener: vi.fn() } };
    expect(await (await load('chrome', chromeRuntime)).sendMessage({ type: 'hello' })).toBe('from chrome');
    expect(chromeRuntime.sendMessage).toHaveBeenCalledWith({ type: 'hello' });
    vi.unstubAllGlobals();
    vi.resetModules();
    const firefoxRuntime = { sendMessage: vi.fn(() => Promise.resolve('from firefox')), onMessage: { addListener: vi.fn() } };
    const r = await load('firefox', firefoxRuntime);
    expect(await r.sendMessage({ type: 'hello' })).toBe('from firefox');
    expect(r.onMessage).toBe(firefoxRuntime.onMessage);
  });

  it('turns a runtime that throws at once into a rejection', async () => {
    const r = await load('chrome', {
      sendMessage: () => {
        throw new Error('Extension context invalidated.');
      },
      onMessage: { addListener: () => undefined },
    });
    await expect(r.sendMessage({ type: 'hello' })).rejects.toThrow('Extension context invalidated.');
  });
});
