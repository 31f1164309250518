import { createRequire } from 'node:module';
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createGunzip, type ZlibOptions } from 'node:zlib';

/** Compressed CSV that varatlas reads directly: gzip (.csv.gz) and Zstandard (.csv.zst). */
export type Compression = 'gzip' | 'zstd';

/** By the file's first bytes (the formats' magic numbers), not by its name. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return undefined;
}

/**
 * A stream that unpacks the bytes of a compressed file chunk by chunk, in bounded memory: zlib for
 * gzip (every member of a multi-member file), and for zstd (every frame) zstd-napi, the Zstandard
 * library compiled from its source (Node 20 has no Zstandard; the pure-JavaScript fzstd unpacked at a
 * third of zlib's speed). Both unpack off the main thread, beside the inspection that reads their bytes:
 * zlib on libuv's threads, zstd-napi (which is synchronous) on a worker thread of its own.
 */
export function decompressor(compression: Compression): Transform {
  // Chunks of 1 MiB, not zlib's 16 KiB: each chunk costs the inspection's pass a round of stream calls.
  // Up to 16 MiB unpacked ahead (zlib works on its own thread while the pass reads what it gave).
  const options: ZlibOptions & TransformOptions = { chunkSize: 1 << 20, highWaterMark: 16 << 20 };
  if (compression === 'gzip') return createGunzip(options);
  return new ZstdWorkerStream();
}

/** Compressed chunks on their way through the worker at once: enough to keep it busy, few enough to bound memory. */
const inFlight = 4;

/**
 * The worker thread's code: zstd-napi unpacks synchronously, so on its own thread it runs beside the
 * import's inspection on the main thread instead of before it. In: a compressed chunk, or null at the end.
 * Out: { data } unpacked bytes (moved, not copied), { ack } when a chunk is through, { end } when all
 * is, { error } with the library's message. Plain JavaScript given as text, with the library's resolved
 * path, so that it runs the same compiled, under tsx and from any working folder.
 */
const zstdWorkerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { DecompressStream } = require(workerData.zstd);
const stream = new DecompressStream();
stream.on('data', (out) => {
  const data = new Uint8Array(out); // our own copy to move: the library's buffer may share memory
  parentPort.postMessage({ data }, [data.buffer]);
});
stream.on('error', (error) => parentPort.postMessage({ error: error.message }));
stream.on('end', () => parentPort.postMessage({ end: true }));
parentPort.on('message', (chunk) => {
  if (chunk === null) stream.end();
  else stream.write(chunk, () => parentPort.postMessage({ ack: true }));
});`;
const zstdLibrary = createRequire(import.meta.url).resolve('zstd-napi');

class ZstdWorkerStream extends Transform {
  private readonly worker: Worker;
  private pending = 0;
  private waiting: TransformCallback | null = null;
  private flushed: TransformCallback | null = null;

  constructor() {
    super({ highWaterMark: 16 << 20 });
    this.worker = new Worker(zstdWorkerCode, { eval: true, workerData: { zstd: zstdLibrary } });
    this.worker.on('message', (m: { data?: Uint8Array; ack?: true; end?: true; error?: string }) => {
      if (m.data) this.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      else if (m.ack) {
        this.pending--;
        const next = this.waiting;
        this.waiting = null;
        next?.();
      } else if (m.end) {
        void this.worker.terminate();
        this.flushed?.();
      } else if (m.error !== undefined) this.destroy(new Error(m.error));
    });
    this.worker.on('error', (error) => this.destroy(error));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const copy = new Uint8Array(chunk);
    this.worker.postMessage(copy, [copy.buffer]);
    // Take the next chunk at once while few are in the worker; else when one is through.
    if (++this.pending < inFlight) callback();
    else this.waiting = callback;
  }

  override _flush(callback: TransformCallback): void {
    this.flushed = callback;
    this.worker.postMessage(null);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    void this.worker.terminate();
    callback(error);
  }
}
