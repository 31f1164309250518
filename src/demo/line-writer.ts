import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Buffered line output to a file that waits for the disk (bounded memory for any size). */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length + 1;
    this.lines++;
    if (this.size > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
