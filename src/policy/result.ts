// The result shape of every parser and check here (and of the schema readers, the settings checks and
// the helper's registry): failures are values, never exceptions past the API. `error` is a message for
// people unless a caller needs a code (the helper's refusal reasons).
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <T, E = string>(error: E): Result<T, E> => ({ ok: false, error });
