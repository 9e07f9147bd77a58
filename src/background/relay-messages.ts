// Answers the relays: each document's mode and names, and what its connections did
// (src/shared/messages.ts). Everything here arrives from a content script, which a hostile page can
// drive: it can ask, report and request a prompt, never decide anything.
import type { Runtime } from 'webextension-polyfill';
import { addressKey, isUuidV4LocalName, siteKey, stricter, OPAQUE_SITE, type Mode } from '../policy';
import { relayMessages, type ActivityReport, type ResolveReply, type SiteInfo } from '../shared/messages';
import { showBadge } from './badge';
import { answeredAddresses, helperConnected, helperInterfaces, registerNames, resolveBrowserNames } from './lan-helper';
import { nameScope, namesFor } from './names';
import { requestPrompt } from './prompt';
import { senderOrigin } from './sender-origin';
import { rememberSiteHosts, siteHosts } from './site-hosts';
import { getEffective } from './effective';
import { knownPolicy } from './managed';
import { NO_POLICY, type ManagedPolicy } from '../shared/managed-policy';
import { modeFor } from './site-modes';
import { recordActivity, safeOrigin } from './tabs';

/**
 * An opaque origin (data: frames, sandboxed frames) has no site anyone could decide for: it gets the
 * stricter of the default for opaque origins and the mode of the page it is embedded in, and never
 * direct (docs/design.md "Modes").
 */
async function opaqueMode(sender: Runtime.MessageSender, policy?: ManagedPolicy): Promise<Mode> {
  const own = (await modeFor('null', undefined, policy)).mode;
  const topUrl = sender.tab?.url;
  let top: Mode = own;
  if (topUrl) {
    try {
      top = (await modeFor(new URL(topUrl).origin, sender.tab?.id, policy)).mode;
    } catch {
      /* no usable top-level URL: the opaque default alone */
    }
  }
  const mode = stricter(own, top);
  return mode === 'direct' ? 'srflx-only' : mode;
}

async function activity(origin: string, sender: Runtime.MessageSender, report: ActivityReport): Promise<undefined> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) return undefined;
  const site = siteKey(origin);
  const isTop = sender.frameId === 0;
  const { record, firstUse } = await recordActivity(tabId, site, isTop, report);
  await showBadge(tabId, record);
  if (site === OPAQUE_SITE) return undefined; // opaque documents share no site: nothing to hand on
  if (report.hosts?.length) await rememberSiteHosts(site, report.hosts);
  const top = sender.tab?.url ? siteKey(safeOrigin(sender.tab.url)) : null;
  const ask = (trigger: 'rawHost' | 'failed' | 'firstUse') => requestPrompt({ trigger, tabId, origin, topSite: top !== site ? top : null });
  if (report.rawHost) await ask('rawHost');
  else if (report.failed) await ask('failed');
  else if (firstUse) await ask('firstUse');
  return undefined;
}

/**
 * Whether this browser answers mDNS questions for its own names. Measured: Chromium does (and
 * announces each new name); Firefox ESR answers none (neither from its host nor from another), so
 * there a lookup would only hold every candidate for the helper's whole timeout.
 */
const OWN_NAMES_ANSWERED = __BROWSER__ !== 'firefox';

/**
 * The browser's own `.local` names of a `direct` site's document, resolved through the LAN helper.
 * Only for a site that is `direct` now (the user's or the admin's decision, or an "Allow once"
 * grant of this tab); for any other site every name stays unresolved.
 */
async function resolveNames(origin: string, sender: Runtime.MessageSender, names: string[]): Promise<ResolveReply> {
  const wanted = [...new Set(names.map((n) => n.toLowerCase()).filter(isUuidV4LocalName))];
  const none = Object.fromEntries(wanted.map((n) => [n, null]));
  if (origin === 'null' || !wanted.length || !OWN_NAMES_ANSWERED) return { resolved: none };
  const { mode } = await modeFor(origin, sender.tab?.id);
  if (mode !== 'direct') return { resolved: none };
  return { resolved: await resolveBrowserNames(wanted) };
}

export async function answerRelay(received: unknown, sender: Runtime.MessageSender): Promise<SiteInfo | ResolveReply | undefined> {
  const read = relayMessages.read(received);
  if (!read.ok) return undefined;
  const message = read.value;
  const origin = senderOrigin(sender, message.origin);
  if (message.type === 'activity') return activity(origin, sender, message);
  if (message.type === 'resolve') return resolveNames(origin, sender, message.names);
  const requested = message.type === 'names' ? message.addresses : [];
  // The very first start, with the policy on its way: a provisional answer under no policy, never
  // looser than srflx-only (the policy may forbid direct), with names, which show no address. The relay holds reflexive candidates and stats until the real answer, which
  // the policy's arrival asks for (onPolicyChange → refreshTabs).
  const policy = await knownPolicy();
  const provisional = policy === null;
  const under = policy ?? NO_POLICY;
  const [resolved, names, effective, register, remembered] = await Promise.all([
    origin === 'null' ? opaqueMode(sender, under) : modeFor(origin, sender.tab?.id, under).then((r) => r.mode),
    namesFor(nameScope(origin, sender.tab?.url), requested),
    getEffective(under),
    helperConnected(), // before the policy is read too: names are registered before they show
    origin === 'null' ? [] : siteHosts(siteKey(origin)),
  ]);
  const mode = provisional ? stricter(resolved, 'srflx-only') : resolved;
  // Names on the LAN: the helper is there, and the site's host candidates become names.
  const lan = register && effective.settings.lanNames && mode === 'srflx-only';
  if (lan && requested.length) {
    // Registered before the relay gets them: the candidate goes out only after the helper took its name.
    const pairs = requested.flatMap((a) => {
      const key = addressKey(a);
      const name = key === undefined ? undefined : names[key];
      return name ? [{ name, address: key! }] : [];
    });
    await registerNames(sender.tab?.id ?? -1, nameScope(origin, sender.tab?.url), pairs);
  }
  const resolve = register && mode === 'direct' && OWN_NAMES_ANSWERED;
  const answered = lan ? answeredAddresses(names) : [];
  const hosts = [...new Set([...remembered, ...helperInterfaces()])];
  return {
    mode,
    lanNames: effective.settings.lanNames,
    names,
    register,
    resolve,
    ...(provisional ? { provisional } : {}),
    ...(answered.length ? { answered } : {}),
    ...(hosts.length ? { hosts } : {}),
  };
}
