// connection.ts, the per-document state every surface shares: the remote check folded into a
// candidate's answer (a line the relay showed, added back), ICE server lists checked once per
// document, and connections opened and closed told to the relay in one request per task (issue #15:
// fewer round trips, nothing per connection).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadShimModule } from './shim-env';

type Connection = typeof import('../../../src/page/connection');
let connection: Connection;
const ask = vi.fn((request: unknown): unknown => (void request, { t: 'ok' }));

beforeEach(async () => {
  vi.useFakeTimers();
  ask.mockClear();
  vi.doMock('../../../src/page/channel', () => ({ ask }));
  connection = await loadShimModule<Connection>('../../../src/page/connection');
});
afterEach(() => {
  vi.useRealTimers();
  vi.doUnmock('../../../src/page/channel');
});

describe('a line added back', () => {
  it('is answered with what the relay said while nothing changed, and asked again after a notify', () => {
    connection.rememberAddedBack('candidate:1 1 udp 1 n.local 9 typ host', 'candidate:1 1 udp 1 198.51.100.7 9 typ host');
    expect(connection.addedBackOf('candidate:1 1 udp 1 n.local 9 typ host')).toBe('candidate:1 1 udp 1 198.51.100.7 9 typ host');
    expect(connection.addedBackOf('candidate:1 1 udp 1 n.local 10 typ host')).toBeUndefined(); // exact lines only
    connection.forgetMode(); // the relay notified a change (mode, names)
    expect(connection.addedBackOf('candidate:1 1 udp 1 n.local 9 typ host')).toBeUndefined();
  });

  it('keeps at most 512 lines', () => {
    for (let i = 0; i < 512; i++) connection.rememberAddedBack(`line ${i}`, `back ${i}`);
    expect(connection.addedBackOf('line 511')).toBe('back 511');
    connection.rememberAddedBack('line 512', 'back 512');
    expect(connection.addedBackOf('line 0')).toBeUndefined();
    expect(connection.addedBackOf('line 512')).toBe('back 512');
  });
});

describe('an ICE server list checked', () => {
  const allowed = { t: 'servers', refused: null, syntax: false } as const;

  it('is answered with what the relay said while nothing changed, and asked again after a notify', () => {
    connection.rememberServers('{"t":"servers","servers":[]}', allowed);
    expect(connection.checkedServers('{"t":"servers","servers":[]}')).toEqual(allowed);
    expect(connection.checkedServers('{"t":"servers","servers":[{}]}')).toBeUndefined(); // exact requests only
    connection.forgetMode(); // the relay notified a change (the mode)
    expect(connection.checkedServers('{"t":"servers","servers":[]}')).toBeUndefined();
  });

  it('keeps at most 64 lists', () => {
    for (let i = 0; i < 64; i++) connection.rememberServers(`list ${i}`, allowed);
    expect(connection.checkedServers('list 63')).toEqual(allowed);
    connection.rememberServers('list 64', allowed);
    expect(connection.checkedServers('list 0')).toBeUndefined();
    expect(connection.checkedServers('list 64')).toEqual(allowed);
  });
});

describe('connections opened and closed', () => {
  it('are told in one request after the task, the closed ones in a list no page setter sees', () => {
    let seen = 0;
    Object.defineProperty(Array.prototype, '0', { configurable: true, set: () => void seen++ });
    try {
      connection.countOpened(3);
      connection.tellClosed(1);
      connection.tellClosed(2);
      connection.countOpened(5);
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['0'];
    }
    expect(ask).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(ask).toHaveBeenCalledTimes(1);
    const request = ask.mock.calls[0]![0] as { t: string; opened: number; closed: number[] };
    expect(request.t).toBe('connections');
    expect(request.opened).toBe(5);
    expect([...Object.values(request.closed)]).toEqual([1, 2]);
    expect(seen).toBe(0);
    // The next task's connections make a request of their own.
    connection.tellClosed(5);
    vi.runAllTimers();
    expect(ask).toHaveBeenCalledTimes(2);
    expect(Object.values((ask.mock.calls[1]![0] as { closed: number[] }).closed)).toEqual([5]);
  });
});
