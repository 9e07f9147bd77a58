// The per-site modes (DESIGN.md §2), shared by every world.

/** direct = RFC 8828 mode 1 (consent needed); srflx-only = mode 3 in what it reveals; relay-only = mode 4. */
export type SiteMode = 'direct' | 'srflx-only' | 'relay-only' | 'off';

export const SITE_MODES: readonly SiteMode[] = ['direct', 'srflx-only', 'relay-only', 'off'];

export function isSiteMode(value: unknown): value is SiteMode {
  return typeof value === 'string' && (SITE_MODES as readonly string[]).includes(value);
}
