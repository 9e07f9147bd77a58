import { describe, expect, it } from 'vitest';
import { coalescing, serialQueue, serialQueues } from '../../../src/background/serial';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('serial queues', () => {
  it('one queue: jobs run one at a time, in order; a failed job does not stop the next', async () => {
    const run = serialQueue();
    const log: string[] = [];
    const job = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([run(job('a')), run(job('b', true)), run(job('c'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('a queue per key: other keys do not wait', async () => {
    const run = serialQueues<string>();
    const log: string[] = [];
    const slow = run('a', async () => {
      await tick();
      log.push('a');
    });
    await run('b', async () => void log.push('b'));
    await slow;
    expect(log).toEqual(['b', 'a']);
  });
});

describe('coalescing', () => {
  /** A job that counts its runs and finishes when told; each call records the runs done when it resolved. */
  function counted() {
    let runs = 0;
    const finish: Array<() => void> = [];
    const job = () => {
      runs++;
      return new Promise<void>((r) => finish.push(r));
    };
    return { run: coalescing(job), runs: () => runs, finishNext: () => finish.shift()?.() };
  }

  it('calls made while a run waits to start join it; a call made during a run gets exactly one more', async () => {
    const c = counted();
    const first = c.run();
    await tick();
    expect(c.runs()).toBe(1); // started
    const during = [c.run(), c.run(), c.run()];
    await tick();
    expect(c.runs()).toBe(1); // waits for the running one
    c.finishNext();
    await first;
    await tick();
    expect(c.runs()).toBe(2); // one more run for all three
    let settled = false;
    void Promise.all(during).then(() => (settled = true));
    await tick();
    expect(settled).toBe(false); // not by the run that started before them
    c.finishNext();
    await Promise.all(during);
    await tick();
    expect(c.runs()).toBe(2);
  });

  it('a failed run rejects its callers and does not stop the next', async () => {
    let fail = true;
    const run = coalescing(async () => {
      if (fail) throw new Error('no');
    });
    await expect(run()).rejects.toThrow('no');
    fail = false;
    await expect(run()).resolves.toBeUndefined();
  });
});
