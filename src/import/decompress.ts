import { Transform, type TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { DecompressStream } from 'zstd-napi';

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
 * third of zlib's speed).
 */
export function decompressor(compression: Compression): Transform {
  // Chunks of 1 MiB, not zlib's 16 KiB: each chunk costs the inspection's pass a round of stream calls.
  // Up to 16 MiB unpacked ahead (zlib works on its own thread while the pass reads what it gave).
  const options: ZlibOptions & TransformOptions = { chunkSize: 1 << 20, highWaterMark: 16 << 20 };
  if (compression === 'gzip') return createGunzip(options);
  return new DecompressStream();
}
