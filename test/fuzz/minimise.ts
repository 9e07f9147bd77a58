// Shrinks a program that leaks to a smaller one that still leaks (issue #16): drop a hook or a channel,
// or move one axis to its plainest value, keep the change if the oracle still sees a leak, and start
// over until no single step keeps the leak. Pure code: the oracle is whatever the caller runs.
import { isValid, type FrameRealm, type Program } from './program';

/** The plainest value of each frame axis: what a step moves it to. */
const PLAIN: FrameRealm = { insertion: 'appendChild', frame: 'no src', access: 'contentWindow', timing: 'sync', depth: 1 };

/** One smaller program per possible step, the most reducing first; only valid ones, none equal to `p`. */
export function reductions(p: Program): Program[] {
  const out: Program[] = [];
  const without = <T>(xs: T[], i: number) => xs.filter((_, j) => j !== i);
  if (p.realm) out.push({ ...p, realm: null, frameHooks: [] });
  p.hooks.forEach((_, i) => out.push({ ...p, hooks: without(p.hooks, i) }));
  p.frameHooks.forEach((_, i) => out.push({ ...p, frameHooks: without(p.frameHooks, i) }));
  p.channels.forEach((_, i) => out.push({ ...p, channels: without(p.channels, i) }));
  if (p.realm) {
    for (const axis of Object.keys(PLAIN) as Array<keyof FrameRealm>) {
      if (p.realm[axis] !== PLAIN[axis]) out.push({ ...p, realm: { ...p.realm, [axis]: PLAIN[axis] } });
    }
  }
  if (p.ice !== 'none') out.push({ ...p, ice: 'none' });
  if (p.flow !== 'gather') out.push({ ...p, flow: 'gather' });
  return out.filter(isValid);
}

/** A program's size: what every step lowers (so minimising ends). */
export function size(p: Program): number {
  const r = p.realm;
  const frame = r ? 1 + (Object.keys(PLAIN) as Array<keyof FrameRealm>).filter((k) => r[k] !== PLAIN[k]).length : 0;
  return frame + p.hooks.length + p.frameHooks.length + p.channels.length + (p.ice === 'none' ? 0 : 1) + (p.flow === 'gather' ? 0 : 1);
}

export interface Minimised {
  program: Program;
  /** Oracle calls made. */
  tries: number;
  /** False when `maxTries` ran out before no step was left. */
  complete: boolean;
}

/**
 * Greedy one-step shrinking. `leaks` says whether a program still leaks; it is called at most
 * `maxTries` times (each call runs a browser page, so the bound is the budget).
 */
export async function minimise(p: Program, leaks: (q: Program) => Promise<boolean>, maxTries = 40): Promise<Minimised> {
  let current = p;
  let tries = 0;
  for (;;) {
    let smaller: Program | null = null;
    for (const q of reductions(current)) {
      if (tries >= maxTries) return { program: current, tries, complete: false };
      tries++;
      if (await leaks(q)) {
        smaller = q;
        break;
      }
    }
    if (!smaller) return { program: current, tries, complete: true };
    current = smaller;
  }
}
