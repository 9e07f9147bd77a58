import { describe, expect, it } from 'vitest';
import { minimise, reductions, size } from '../../fuzz/minimise';
import { generate, isValid, type Program } from '../../fuzz/program';

const big: Program = {
  hooks: ['JSON members', 'Promise.prototype.then', 'CustomEvent'],
  realm: { insertion: 'innerHTML', frame: 'srcdoc', access: 'window[i]', timing: 'microtask', depth: 2 },
  frameHooks: ['Reflect members'],
  ice: 'STUN and TURN',
  flow: 'restartIce',
  channels: ['onicecandidate', 'getStats forEach', 'createOffer result'],
};

describe('reductions', () => {
  it('are valid, each smaller than the program', () => {
    for (let i = 0; i < 200; i++) {
      const p = generate(11, i);
      for (const q of reductions(p)) {
        expect(isValid(q)).toBe(true);
        expect(size(q)).toBeLessThan(size(p));
      }
    }
  });
  it('never drop the last channel; none are left for the plainest program', () => {
    const plain: Program = { hooks: [], realm: null, frameHooks: [], ice: 'none', flow: 'gather', channels: ['onicecandidate'] };
    expect(reductions(plain)).toEqual([]);
  });
});

describe('minimise (fake oracle)', () => {
  it('keeps exactly what the leak needs', async () => {
    // The "leak": a srcdoc frame's realm taken at a microtask, whatever else is there, read through stats.
    const oracle = async (q: Program) => q.realm?.frame === 'srcdoc' && q.realm.timing === 'microtask' && q.channels.includes('getStats forEach');
    const r = await minimise(big, oracle, 200);
    expect(r.complete).toBe(true);
    expect(r.program).toEqual({
      hooks: [],
      realm: { insertion: 'appendChild', frame: 'srcdoc', access: 'contentWindow', timing: 'microtask', depth: 1 },
      frameHooks: [],
      ice: 'none',
      flow: 'gather',
      channels: ['getStats forEach'],
    });
  });

  it('returns the program itself when no step keeps the leak', async () => {
    let calls = 0;
    const r = await minimise(big, async () => (calls++, false), 200);
    expect(r.program).toBe(big);
    expect(r.complete).toBe(true);
    expect(r.tries).toBe(calls);
    expect(calls).toBe(reductions(big).length);
  });

  it('stops at maxTries oracle calls', async () => {
    let calls = 0;
    const r = await minimise(big, async () => (calls++, true), 3);
    expect(calls).toBe(3);
    expect(r.tries).toBe(3);
    expect(r.complete).toBe(false);
    expect(size(r.program)).toBeLessThan(size(big));
  });
});
