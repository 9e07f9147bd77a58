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
const native: ContentRuntime = (globalThis as unknown as Record<'browser' | 'chrome', { runtime: ContentRuntime }>)[
  __BROWSER__ === 'firefox' ? 'browser' : 'chrome'
].runtime;

export const runtime: ContentRuntime = {
  // Chromium throws at once, rather than rejecting, once the extension was reloaded or removed
  // ("Extension context invalidated"): a rejection, as the polyfill made it, for every caller.
  sendMessage(message) {
    try {
      return native.sendMessage(message);
    } catch (err) {
      return Promise.reject(err);
    }
  },
  onMessage: native.onMessage,
};
