// Storage edits of one key applied one after another: read-modify-write jobs that start together (a
// page's frames report at once) would otherwise lose each other's changes.

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
