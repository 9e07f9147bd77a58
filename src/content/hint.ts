// Runs in the ISOLATED world at document_start: one mode hint (src/background/hints.ts). The build
// makes one script of this file per (kind, mode), with __HINT_KIND__ and __HINT_MODE__ defined; the
// background registers each for the sites whose mode it states. It hands its mode to the relay
// (src/content/relay.ts) through the isolated world's globals, or leaves it there if it ran first.
import type { HintGlobals, HintKind } from '../shared/hint-protocol';
import type { Mode } from '../policy/mode';

declare const __HINT_KIND__: HintKind;
declare const __HINT_MODE__: Mode;

const g = globalThis as HintGlobals;
if (typeof g.__iceguardHint === 'function') g.__iceguardHint(__HINT_KIND__, __HINT_MODE__);
else (g.__iceguardHints ??= []).push([__HINT_KIND__, __HINT_MODE__]);
