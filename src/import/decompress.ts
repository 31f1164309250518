import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

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
 * gzip (every member of a multi-member file), fzstd (pure JavaScript: Node 20 has no Zstandard) for zstd.
 */
export function decompressor(compression: Compression): Transform {
  // Chunks of 1 MiB, not zlib's 16 KiB: each chunk costs the inspection's pass a round of stream calls.
  if (compression === 'gzip') return createGunzip({ chunkSize: 1 << 20 });
  let out: Transform;
  // fzstd hands out a block at a time (at most 128 KiB), and may reuse its window: copied into 1 MiB chunks.
  const size = 1 << 20;
  let pending = Buffer.allocUnsafe(size);
  let filled = 0;
  const zstd = new Decompress((data) => {
    for (let at = 0; at < data.length; ) {
      const n = Math.min(size - filled, data.length - at);
      pending.set(data.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        out.push(pending);
        pending = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  });
  out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        zstd.push(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        zstd.push(new Uint8Array(0), true);
        if (filled > 0) out.push(pending.subarray(0, filled));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return out;
}
