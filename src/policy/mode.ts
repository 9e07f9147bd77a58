// The per-site modes (docs/design.md "Modes") and their order of strictness: the one list every world, the
// build's mode-hint scripts and the pages' mode choices come from.

/** From the least strict to the strictest: direct = RFC 8828 mode 1 (consent needed); srflx-only = mode 3 in what it reveals; relay-only = mode 4. */
export const MODES = ['direct', 'srflx-only', 'relay-only', 'off'] as const;

export type Mode = (typeof MODES)[number];

export const isMode = (m: unknown): m is Mode => (MODES as readonly unknown[]).includes(m);

/** The stricter of two modes (direct < srflx-only < relay-only < off). */
export const stricter = (a: Mode, b: Mode): Mode => (MODES.indexOf(b) > MODES.indexOf(a) ? b : a);

/** Options of one transform: the site's mode and the "LAN names" setting (mDNS names for host candidates). */
export interface TransformOptions {
  readonly mode: Mode;
  readonly lanNames: boolean;
}
