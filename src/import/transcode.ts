import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

/** Stream a Windows-1252 file into a UTF-8 copy (DuckDB reads UTF-8), chunk by chunk. */
export async function windows1252ToUtf8(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), iconv.decodeStream('win1252'), iconv.encodeStream('utf8'), createWriteStream(to));
}
