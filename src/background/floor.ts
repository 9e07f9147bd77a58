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

/** Brings the browser's setting in line with the settings and open tabs (serialised, idempotent). */
export function applyFloor(): Promise<FloorStatus> {
  return serial(async () => {
    const s = setting();
    if (!s) return (last = { ...last, levelOfControl: 'not_available' });
    const { floor, floorStrict } = (await getEffective()).settings;
    const lifted = floor !== 'none' && floorStrict && (await directTabOpen());
    const wanted = floor === 'none' || lifted ? null : VALUES[floor];
    const now = await s.get({});
    if (now.levelOfControl === 'controllable_by_this_extension' || now.levelOfControl === 'controlled_by_this_extension') {
      if (wanted === null) {
        if (now.levelOfControl === 'controlled_by_this_extension') await s.clear({});
      } else if (now.value !== wanted || now.levelOfControl !== 'controlled_by_this_extension') {
        await s.set({ value: wanted });
      }
    }
    const after = await s.get({});
    return (last = { wanted, value: typeof after.value === 'string' ? after.value : null, levelOfControl: after.levelOfControl, lifted });
  });
}

export function floorStatus(): Promise<FloorStatus> {
  return applyFloor().catch((e: unknown) => {
    void recordError('floor', e);
    return last;
  });
}
