import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AXES, axisValues, generate, isValid, type AxisName } from '../../fuzz/program';
import { Prng, seedOf } from '../../fuzz/prng';
import { programOfPage, renderBody, renderPage } from '../../fuzz/render';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => unknown;

describe('the fuzzer PRNG', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const run = (s: number) => Array.from({ length: 8 }, ((r) => () => r.next())(new Prng(s)));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
  it('int stays in range and hits every value', () => {
    const r = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(7));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('seedOf separates neighbouring runs and programs', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let i = 0; i < 50; i++) seeds.add(seedOf(s, i));
    expect(seeds.size).toBe(1000);
  });
});

describe('the program generator', () => {
  it('is deterministic per seed and index', () => {
    for (let i = 0; i < 50; i++) expect(generate(42, i)).toEqual(generate(42, i));
    const a = Array.from({ length: 20 }, (_, i) => JSON.stringify(generate(1, i)));
    const b = Array.from({ length: 20 }, (_, i) => JSON.stringify(generate(2, i)));
    expect(a).not.toEqual(b);
  });

  it('makes only valid programs, and reaches every value of every axis', () => {
    const seen = Object.fromEntries(Object.keys(AXES).map((k) => [k, new Set<string>()])) as Record<AxisName, Set<string>>;
    for (let i = 0; i < 3000; i++) {
      const p = generate(5, i);
      expect(isValid(p), JSON.stringify(p)).toBe(true);
      for (const [axis, values] of Object.entries(axisValues(p)) as Array<[AxisName, string[]]>) for (const v of values) seen[axis].add(v);
    }
    for (const [axis, values] of Object.entries(AXES) as Array<[AxisName, readonly string[]]>) {
      expect([axis, [...values].filter((v) => !seen[axis].has(v))]).toEqual([axis, []]);
    }
  });

  it('isValid refuses what cannot be written', () => {
    const p = generate(3, 0);
    expect(isValid({ ...p, channels: [] })).toBe(false);
    expect(isValid({ ...p, realm: null, frameHooks: ['JSON members'] })).toBe(false);
    expect(isValid({ ...p, channels: ['onicecandidate', 'onicecandidate'] })).toBe(false);
    const frame = { insertion: 'parser', frame: 'blob:', access: 'contentWindow', timing: 'sync', depth: 1 } as const;
    expect(isValid({ ...p, realm: frame })).toBe(false);
    expect(isValid({ ...p, realm: { ...frame, depth: 2 } })).toBe(true);
  });
});

describe('rendering', () => {
  it('every program renders to code that parses, and the page gives the program back', () => {
    for (let i = 0; i < 400; i++) {
      const p = generate(9, i);
      expect(() => new AsyncFunction('ICE', renderBody(p)), JSON.stringify(p)).not.toThrow();
      expect(programOfPage(renderPage(p, `program ${i}`))).toEqual(p);
    }
  });

  it('writes out only the chosen axis values', () => {
    const p = { hooks: [], realm: null, frameHooks: [], ice: 'none', flow: 'gather', channels: ['onicecandidate'] } as const;
    const body = renderBody({ ...p, hooks: [], frameHooks: [], channels: ['onicecandidate'] });
    expect(body).toContain('pc.onicecandidate');
    expect(body).not.toContain('getStats');
    expect(body).not.toContain('HOOKS');
    expect(body).not.toContain('createElement');
  });

  it('runs in a bare realm far enough to record a program error (the recorder and the hooks work)', async () => {
    const body = renderBody({ hooks: ['JSON members', 'String.prototype methods'], realm: null, frameHooks: [], ice: 'none', flow: 'gather', channels: ['onicecandidate'] });
    // A fresh realm of its own (node:vm), so the hooks touch nothing of this process.
    const ctx = createContext({ setTimeout });
    runInContext('globalThis.window = globalThis;', ctx);
    const run = runInContext(`(async (ICE) => {\n${body}\n})`, ctx) as (ice: unknown[]) => Promise<string>;
    const out = JSON.parse(await run([{ urls: 'stun:192.0.2.1:3478' }])) as string[];
    expect(out.filter((s) => s.startsWith('program error: '))).toEqual([expect.stringMatching(/not a constructor/)]);
    // The hooks were installed, and the page's own String.prototype.startsWith (choosing ICE servers) was seen.
    expect(out.filter((s) => s.startsWith('hook failed'))).toEqual([]);
    expect(out).toContain('String.prototype.startsWith: stun:192.0.2.1:3478');
  });
});
