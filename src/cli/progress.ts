/** What a stage's fraction is a fraction of, when it is known: the file's bytes or its rows. */
export interface ProgressAmount {
  total: number;
  unit: 'bytes' | 'rows';
}

export type ProgressUpdate = (stage: string, fraction: number, amount?: ProgressAmount) => void;

/**
 * A one-line progress bar on a terminal's stderr: stage, bar, per cent, and where the amount is known
 * the rows or megabytes done of the total, the speed and the time left. Silent when stderr is not a
 * terminal (scripts, CI) or with `quiet`, unless VARATLAS_PROGRESS=lines asks for one plain line per
 * stage and tenth (for logs).
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, { quiet = false, now = () => performance.now() } = {}): {
  update: ProgressUpdate;
  done: () => void;
} {
  if (process.env.VARATLAS_PROGRESS === 'lines') {
    let last = '';
    return {
      update(stage, fraction) {
        const line = `${stage} ${Math.floor(clamp(fraction) * 10) * 10}%`;
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      done: () => undefined,
    };
  }
  if (quiet || !stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = '';
  let stage = '';
  let started = 0;
  let written = 0;
  return {
    update(name, fraction, amount) {
      const t = now();
      if (name !== stage) {
        stage = name;
        started = t;
      }
      // At most ten redraws a second, and always the last one.
      if (t - written < 100 && fraction < 1) return;
      const text = progressLine(name, fraction, (t - started) / 1000, amount);
      if (text !== last) stream.write(`\r${text.padEnd(last.length)}`);
      last = text;
      written = t;
    },
    done() {
      if (last) stream.write('\r' + ' '.repeat(last.length) + '\r');
      last = '';
    },
  };
}

/** The bar's text: `importing  [█████     ]  42%  4.5 of 10.7 M rows  190 000 rows/s  0:33 left`. */
export function progressLine(stage: string, fraction: number, seconds: number, amount?: ProgressAmount): string {
  const f = clamp(fraction);
  const width = 24;
  const filled = Math.round(f * width);
  const parts = [`${stage.padEnd(20)} [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`];
  if (amount && amount.total > 0) {
    const done = f * amount.total;
    if (amount.unit === 'bytes') {
      parts.push(`${mb(done)} of ${mb(amount.total)} MB`);
      if (seconds >= 1) parts.push(`${mb(done / seconds)} MB/s`);
    } else {
      parts.push(`${millions(done)} of ${millions(amount.total)} M rows`);
      if (seconds >= 1) parts.push(`${Math.round(done / seconds).toLocaleString('en').replace(/,/g, ' ')} rows/s`);
    }
  }
  // The time left once there is enough behind to go by.
  if (seconds >= 2 && f >= 0.02 && f < 1) parts.push(`${clock((seconds * (1 - f)) / f)} left`);
  return parts.join('  ');
}

const clamp = (f: number) => (Number.isFinite(f) ? Math.max(0, Math.min(1, f)) : 0);
const mb = (bytes: number) => (bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0);
const millions = (rows: number) => (rows / 1e6).toFixed(1);
const clock = (seconds: number) => {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
