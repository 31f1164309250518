import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

/**
 * Stream a plain (or already unpacked) file into a copy the store's reader takes, chunk by chunk:
 * Windows-1252 into UTF-8 (DuckDB reads UTF-8), and line ends made one kind (CRLF into LF) where a
 * file mixes them.
 */
export async function readableCopy(from: string, to: string, o: { windows1252: boolean; unifyLineEnds: boolean }): Promise<void> {
  const steps: NodeJS.ReadWriteStream[] = [];
  if (o.windows1252) steps.push(iconv.decodeStream('win1252'), iconv.encodeStream('utf8'));
  if (o.unifyLineEnds) steps.push(crlfToLf());
  await pipeline([createReadStream(from), ...steps, createWriteStream(to)]);
}

/** CR LF becomes LF; a CR at the end of a chunk waits for the next one's first byte. */
function crlfToLf(): Transform {
  let heldCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out = Buffer.allocUnsafe(chunk.length + 1);
      let n = 0;
      if (heldCr && chunk[0] !== 0x0a) out[n++] = 0x0d;
      heldCr = false;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === 0x0d) {
          if (i + 1 === chunk.length) heldCr = true;
          else if (chunk[i + 1] !== 0x0a) out[n++] = b;
        } else out[n++] = b;
      }
      done(null, out.subarray(0, n));
    },
    flush(done) {
      done(null, heldCr ? Buffer.from([0x0d]) : null);
    },
  });
}
