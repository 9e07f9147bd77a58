// Runs in the page's world: no extension APIs.
// The RTCPeerConnection constructor and setConfiguration: the ICE servers a page configures are
// checked by the relay (a STUN/TURN server at a local address is a leak channel), the mode `off`
// refuses connections, `relay-only` makes the browser itself gather through relays only, and each new
// connection gets our listeners before the page holds it.
import type { PageReply } from '../shared/page-protocol';
import { askText, requestText } from './channel';
import { apply, browserList, construct, create, hasOwn, isArray, ownKeys } from './captured';
import { checkedServers, connectionState, countOpened, currentMode, isDirectMode, rememberServers } from './connection';
import { connectionOpened, takeTransportGetters } from './owners';
import type { RealmContext } from './realm-context';
import { put, replaceValue, withFirst, type AnyFn } from './realm-tools';
import { disguise, wrapMethod } from './wrap';

type Checked = { ok: true; config: unknown } | { ok: false; refused: string; syntax: boolean; why: string };

/** `listen` runs on each new connection; `atFirstConnection` once, at the realm's first. */
export function patchConstructor(c: RealmContext, listen: (pc: object) => void, atFirstConnection: () => void): void {
  const { PC, proto, DOMExc, realm } = c;
  const refusal = (r: { refused: string; syntax: boolean; why: string }) =>
    r.syntax
      ? construct(DOMExc, [`Invalid ICE server URL: ${r.refused}`, 'SyntaxError'])
      : construct(DOMExc, [`IceGuard refused the ICE server ${r.refused} on this site: ${r.why}.`, 'NotAllowedError']);
  const browserErrorFirst = browserErrorOf(c);
  let constructed = false;
  const Wrapped = disguise<AnyFn>(PC, {
    construct(target, args: unknown[], newTarget) {
      if (currentMode() === 'off') throw construct(DOMExc, ['WebRTC is turned off for this site by IceGuard.', 'NotAllowedError']);
      const checked = checkedConfig(args.length > 0 ? args[0] : create(null));
      if (!checked.ok) {
        if (checked.syntax) browserErrorFirst(args.length > 0 ? args[0] : undefined, newTarget);
        throw refusal(checked);
      }
      if (!constructed) {
        constructed = true;
        takeTransportGetters(c);
        atFirstConnection();
      }
      // newTarget is forwarded, so `class X extends RTCPeerConnection` gets X instances.
      const pc = construct(target, withFirst(args, checked.config), newTarget) as object;
      // Counted whatever the mode (a `direct` connection never asks the relay anything else), in one
      // request per task however many connections the page makes at once.
      countOpened(connectionState(pc).id);
      connectionOpened(pc, c);
      listen(pc);
      return pc;
    },
  });
  const aliases = ['RTCPeerConnection', 'webkitRTCPeerConnection'];
  for (let i = 0; i < aliases.length; i++) replaceValue(realm, aliases[i]!, PC, Wrapped);
  replaceValue(proto, 'constructor', PC, Wrapped);
  wrapMethod(proto, 'setConfiguration', (orig, self, args) => {
    if (!args.length) return apply(orig, self, args);
    const checked = checkedConfig(args[0]);
    if (!checked.ok) {
      if (checked.syntax) browserErrorFirst(args[0], undefined, orig);
      throw refusal(checked);
    }
    return apply(orig, self, withFirst(args, checked.config));
  });
}

/**
 * A URL the policy cannot read: the browser's own error first if it rejects the configuration too
 * (a WebIDL conversion TypeError for `[null]` or `[{}]`, its own SyntaxError). The trial connection
 * neither gathers nor sends before setLocalDescription, so it is silent.
 */
function browserErrorOf(c: RealmContext): (config: unknown, newTarget?: unknown, setConfiguration?: AnyFn) => void {
  const { PC } = c;
  const nativeClose = (c.proto as { close?: AnyFn }).close;
  return (config, newTarget, setConfiguration) => {
    if (!nativeClose) return;
    const trial = construct(PC, setConfiguration ? [] : [config], (newTarget ?? PC) as AnyFn) as object;
    try {
      if (setConfiguration) apply(setConfiguration, trial, [config]);
    } finally {
      apply(nativeClose, trial, []);
    }
  };
}

/**
 * The configuration the browser will use: a copy, read once, whose iceServers the relay checked. The
 * browser never reads the page's object again, so a getter cannot show us one list and it another.
 */
function checkedConfig(config: unknown): Checked {
  if (typeof config !== 'object' || config === null) return { ok: true, config };
  // No prototype: the browser reads members it lacks through the chain, where a page getter could
  // hand it what we never checked.
  const copy = create(null) as Record<string, unknown>;
  const keys = ownKeys(config);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (typeof k === 'string') put(copy, k, (config as Record<string, unknown>)[k]);
  }
  // Members the page's object inherits are what the browser would read too: read them once here.
  const inherited = ['iceServers', 'iceTransportPolicy'];
  for (let i = 0; i < inherited.length; i++) {
    const k = inherited[i]!;
    if (!hasOwn(copy, k)) {
      const v = (config as Record<string, unknown>)[k];
      if (v !== undefined) put(copy, k, v);
    }
  }
  // relay-only is mode 4 of RFC 8828: the browser itself gathers and checks through relays only, so no
  // connectivity check ever leaves a host socket (getConfiguration() then reports 'relay').
  // A value the browser would reject is left for it to reject, in its own words.
  if (currentMode() === 'relay-only' && (copy.iceTransportPolicy === undefined || copy.iceTransportPolicy === 'all')) put(copy, 'iceTransportPolicy', 'relay');
  if (copy.iceServers === undefined || isDirectMode()) return { ok: true, config: copy };
  const servers = plainCopy(copy.iceServers, 0);
  put(copy, 'iceServers', servers);
  // An empty list has nothing to refuse where the mode allows connections (most in-page pairs): no
  // round trip. Any other list, or a mode not known yet, is the relay's to judge.
  const mode = currentMode();
  if (isArray(servers) && (servers as unknown[]).length === 0 && (mode === 'srflx-only' || mode === 'relay-only')) return { ok: true, config: copy };
  const request = requestText({ t: 'servers', servers });
  let r: PageReply | null | undefined = checkedServers(request);
  if (r === undefined) {
    r = askText(request);
    if (r && r.t === 'servers' && mode !== null) rememberServers(request, r);
  }
  if (!r || r.t !== 'servers') return { ok: false, refused: 'list', syntax: false, why: 'IceGuard could not check it (its page script is not connected)' };
  return r.refused === null ? { ok: true, config: copy } : { ok: false, refused: r.refused, syntax: r.syntax, why: r.why ?? 'it points at a local address' };
}

/**
 * A copy of page data as arrays, objects and primitives, each value read once (the page's own
 * objects: running its getters is harmless, but what we check must be what the browser gets). Objects
 * have no prototype and arrays iterate on their own (browserList), so the browser reads the copy
 * without consulting anything a page can hook.
 */
function plainCopy(v: unknown, depth: number): unknown {
  if (typeof v === 'function' || depth > 4) return null;
  if (typeof v !== 'object' || v === null) return v;
  const keys = ownKeys(v);
  if (isArray(v)) {
    const n = (v as unknown[]).length;
    const items = create(null) as { length: number; [i: number]: unknown };
    items.length = 0;
    for (let i = 0; i < n && i < 256; i++) items[items.length++] = plainCopy((v as unknown[])[i], depth + 1);
    return browserList(items);
  }
  const out = create(null) as Record<string, unknown>;
  for (let i = 0; i < keys.length && i < 256; i++) {
    const k = keys[i]!;
    if (typeof k === 'string') put(out, k, plainCopy((v as Record<string, unknown>)[k], depth + 1));
  }
  return out;
}
