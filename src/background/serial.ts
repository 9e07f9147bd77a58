// Jobs run one after another: read-modify-write storage edits that start together (a page's frames
// report at once) would otherwise lose each other's changes, and two prompts could open two windows.

/** A queue per key: `run(key, job)` starts `job` when the key's earlier jobs are done (failed or not). */
export function serialQueues<K>(): <T>(key: K, job: () => Promise<T>) => Promise<T> {
  const queues = new Map<K, Promise<unknown>>();
  return <T>(key: K, job: () => Promise<T>): Promise<T> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(job, job);
    const tail = next.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return next;
  };
}

/** One queue: `run(job)` starts `job` when the earlier jobs are done (failed or not). */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  const queues = serialQueues<null>();
  return (job) => queues(null, job);
}

/**
 * A job asked for again and again runs no more than needed: each call resolves once a run that
 * started after the call is done. Calls made while a run waits to start join it; a call made while
 * one runs gets one more run after it (that run may have read the state before the call's change).
 */
export function coalescing(job: () => Promise<void>): () => Promise<void> {
  let waiting: Promise<void> | null = null;
  let tail: Promise<void> = Promise.resolve();
  return () => {
    if (waiting) return waiting;
    const run = tail.then(() => {
      waiting = null;
      return job();
    });
    waiting = run;
    tail = run.catch(() => undefined);
    return run;
  };
}
