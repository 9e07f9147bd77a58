import { describe, expect, it } from 'vitest';
import { serialQueue, serialQueues } from '../../../src/background/serial';

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
