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
  if (compression === 'gzip') return createGunzip();
  let out: Transform;
  const zstd = new Decompress((data) => {
    // fzstd may reuse its window: copy what it hands out.
    if (data.length > 0) out.push(Buffer.from(data));
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
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return out;
}
