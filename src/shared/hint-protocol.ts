// How a mode hint script (src/content/hint.ts) meets the relay (src/content/relay.ts) in the
// ISOLATED world: whichever runs second takes what the first left in these globals.

/** `site`: the mode of the sites the hint is registered for; `default`: the default mode, around them. */
export type HintKind = 'site' | 'default';

export interface HintGlobals {
  /** Set by the relay once it runs: a hint that runs later hands its mode here. */
  __iceguardHint?: (kind: unknown, mode: unknown) => void;
  /** Hints that ran before the relay: [kind, mode], in order. */
  __iceguardHints?: Array<[HintKind, string]>;
}
