// The browser floor (docs/design.md "Background"): privacy.network.webRTCIPHandlingPolicy, the browser's own
// WebRTC IP-handling setting, set as the user chose. It acts below the page shim, in the browser's
// network code, so it also holds where the shim cannot reach (see docs/security.md "Known limits").
//   none                     leave the browser's setting alone (IceGuard clears what it set)
//   public-interface-only    default_public_interface_only: no host candidates at all (mode 3)
//   disable-non-proxied-udp  disable_non_proxied_udp: UDP only through a proxy (mode 4)
// With `floorStrict`, the floor is lifted while a tab of a site whose mode is `direct` is open, and
// put back when the last such tab closes or navigates away.
import browser from 'webextension-polyfill';
import type { BrowserFloor } from '../shared/settings';
import type { FloorState } from '../shared/ui-protocol';
import { getEffective } from './effective';
import { recordError } from './error-log';
import { serialQueue } from './serial';
import { modeFor } from './site-modes';
import { safeOrigin } from './tabs';

const VALUES: Record<Exclude<BrowserFloor, 'none'>, string> = {
  'public-interface-only': 'default_public_interface_only',
  'disable-non-proxied-udp': 'disable_non_proxied_udp',
};

export type FloorStatus = FloorState;

const setting = () => browser.privacy?.network?.webRTCIPHandlingPolicy;

async function directTabOpen(): Promise<boolean> {
  const tabs = await browser.tabs.query({});
  for (const tab of tabs) {
    if (tab.id === undefined || !tab.url) continue;
    const origin = safeOrigin(tab.url);
    if (origin === 'null') continue;
    if ((await modeFor(origin, tab.id)).mode === 'direct') return true;
  }
  return false;
}

const serial = serialQueue();
let last: FloorStatus = { wanted: null, value: null, levelOfControl: null, lifted: false };

/** What the settings and open tabs call for: the browser's value (null: leave it alone), and whether strict lifted it. */
async function wantedFloor(): Promise<Pick<FloorStatus, 'wanted' | 'lifted'>> {
  const { floor, floorStrict } = (await getEffective()).settings;
  const lifted = floor !== 'none' && floorStrict && (await directTabOpen());
  return { wanted: floor === 'none' || lifted ? null : VALUES[floor], lifted };
}

type Setting = NonNullable<ReturnType<typeof setting>>;

/** The browser's setting as it reports it now, next to what IceGuard wants of it. */
async function report(s: Setting, want: Pick<FloorStatus, 'wanted' | 'lifted'>): Promise<FloorStatus> {
  const now = await s.get({});
  return (last = { ...want, value: typeof now.value === 'string' ? now.value : null, levelOfControl: now.levelOfControl });
}

/** Runs `work` on the browser's setting in the queue; where the browser has none, says so. */
function withSetting(work: (s: Setting) => Promise<FloorStatus>): Promise<FloorStatus> {
  return serial(async () => {
    const s = setting();
    return s ? work(s) : (last = { ...last, levelOfControl: 'not_available' });
  });
}

/** Brings the browser's setting in line with the settings and open tabs (serialised, idempotent). */
export function applyFloor(): Promise<FloorStatus> {
  return withSetting(async (s) => {
    const want = await wantedFloor();
    const now = await s.get({});
    if (now.levelOfControl === 'controllable_by_this_extension' || now.levelOfControl === 'controlled_by_this_extension') {
      if (want.wanted === null) {
        if (now.levelOfControl === 'controlled_by_this_extension') await s.clear({});
      } else if (now.value !== want.wanted || now.levelOfControl !== 'controlled_by_this_extension') {
        await s.set({ value: want.wanted });
      }
    }
    return report(s, want);
  });
}

/**
 * The floor as it stands, read and never set: reactions.ts applies it after every change that concerns
 * it. Queued behind an apply on its way, so it reads what that apply left.
 */
export function readFloor(): Promise<FloorStatus> {
  return withSetting(async (s) => report(s, await wantedFloor()));
}

/** The floor for the options page; a failed read is logged and the last one known stands in. */
export function floorStatus(): Promise<FloorStatus> {
  return readFloor().catch((e: unknown) => {
    void recordError('floor', e);
    return last;
  });
}
