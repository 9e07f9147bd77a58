// The per-site modes (DESIGN.md §2) and their order of strictness.
export type Mode = 'direct' | 'srflx-only' | 'relay-only' | 'off';

const RANK: Readonly<Record<Mode, number>> = { direct: 0, 'srflx-only': 1, 'relay-only': 2, off: 3 };

export const isMode = (m: unknown): m is Mode =>
  m === 'direct' || m === 'srflx-only' || m === 'relay-only' || m === 'off';

/** The stricter of two modes (direct < srflx-only < relay-only < off). */
export const stricter = (a: Mode, b: Mode): Mode => (RANK[b] > RANK[a] ? b : a);

/** Options of one transform: the site's mode and the "LAN names" setting (mDNS names for host candidates). */
export interface TransformOptions {
  readonly mode: Mode;
  readonly lanNames: boolean;
}
