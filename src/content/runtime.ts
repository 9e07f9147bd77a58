// The extension messaging of the content scripts, without webextension-polyfill: loading the polyfill
// (and esbuild's CommonJS interop around it) in every frame cost ~0.35 ms of each page load, measured
// by CPU profiles of page loads (issue #15). Both browsers' Manifest V3 runtimes return a promise from
// sendMessage; a listener answers through sendResponse, which both support.

export interface ContentRuntime {
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: (message: unknown, sender: unknown, sendResponse: (response: unknown) => void) => void): void;
  };
}

/** `browser.runtime` in Firefox, `chrome.runtime` in Chromium (chosen at build time). */
export const runtime: ContentRuntime = (globalThis as unknown as Record<'browser' | 'chrome', { runtime: ContentRuntime }>)[
  __BROWSER__ === 'firefox' ? 'browser' : 'chrome'
].runtime;
