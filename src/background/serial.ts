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
