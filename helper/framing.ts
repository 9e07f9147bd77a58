// Native messaging framing (Chrome and Firefox alike): each message is a 32-bit length in native
// byte order (little-endian on every platform IceGuard supports) followed by that many bytes of
// UTF-8 JSON. Messages from the extension above MAX_MESSAGE bytes are refused: their bytes are
// skipped, so the stream stays in step, and the caller answers with an error.
import { fail, ok, type Result } from '../src/policy/result';

/** The largest message the helper reads or writes (the browsers' limit host -> extension is 1 MB). */
export const MAX_MESSAGE = 1024 * 1024;

/** A message read from stdin (its JSON parsed), or why none could be. */
export type Frame = Result<unknown>;

/** Feeds stdin chunks in, takes whole frames out. Never throws; bounded memory. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of an oversized message still to be skipped. */
  private skipping = 0;

  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let data = chunk;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      data = data.subarray(n);
    }
    if (data.length) {
      this.chunks.push(data);
      this.buffered += data.length;
    }
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(4);
      const length = head.readUInt32LE(0);
      if (length > MAX_MESSAGE) {
        this.take(4);
        const available = Math.min(length, this.buffered);
        this.take(available);
        this.skipping = length - available;
        out.push(fail(`message of ${length} bytes refused (at most ${MAX_MESSAGE})`));
        if (this.skipping > 0) break;
        continue;
      }
      if (this.buffered < 4 + length) break;
      this.take(4);
      const body = this.take(length).toString('utf8');
      try {
        out.push(ok(JSON.parse(body) as unknown));
      } catch {
        out.push(fail('message is not JSON'));
      }
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered -= n;
    return head;
  }
}

/** One outgoing frame; throws if the message is too large (callers send an error instead). */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > MAX_MESSAGE) throw new Error(`reply of ${body.length} bytes is over the limit`);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  return Buffer.concat([head, body]);
}
