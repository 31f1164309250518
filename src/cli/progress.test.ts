import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressBar, progressLine } from './progress.js';

/** A terminal that keeps what is written to it. */
const terminal = () => {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY: true, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
};

describe('progress bar', () => {
  it('shows rows done of the total, the speed and the time left', () => {
    const line = progressLine('importing', 0.25, 10, { total: 10_000_000, unit: 'rows' });
    assert.match(line, /^importing\s+\[██████\s{18}\]\s+25%/);
    assert.match(line, /2\.5 of 10\.0 M rows/);
    assert.match(line, /250 000 rows\/s/);
    assert.match(line, /0:30 left/, 'a quarter in 10 s: three quarters in 30 s');
  });

  it('shows megabytes for bytes, and no time left before there is enough to go by', () => {
    const line = progressLine('reading', 0.5, 1.5, { total: 1_080_000_000, unit: 'bytes' });
    assert.match(line, /540 of 1080 MB/);
    assert.match(line, /360 MB\/s/);
    assert.doesNotMatch(line, /left/);
  });

  it('is silent with quiet or when the output is not a terminal, and redraws at most ten times a second', () => {
    const quiet = terminal();
    progressBar(quiet.stream, { quiet: true }).update('importing', 0.5);
    assert.deepEqual(quiet.chunks, []);
    const pipe = terminal();
    progressBar({ ...pipe.stream, isTTY: false } as unknown as NodeJS.WriteStream).update('importing', 0.5);
    assert.deepEqual(pipe.chunks, []);
    let t = 1000;
    const tty = terminal();
    const bar = progressBar(tty.stream, { now: () => t });
    for (let i = 1; i <= 50; i++) {
      t += 10;
      bar.update('importing', i / 100);
    }
    bar.update('importing', 1);
    // 500 ms of updates every 10 ms: one redraw per 100 ms, and the last.
    assert.ok(tty.chunks.length >= 5 && tty.chunks.length <= 7, `${tty.chunks.length} redraws`);
    assert.match(tty.chunks.at(-1)!, /100%/);
  });
});
