/**
 * A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal (scripts, CI),
 * unless VARATLAS_PROGRESS=lines asks for one plain line per stage and tenth (for logs).
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update: (stage: string, fraction: number) => void;
  done: () => void;
} {
  if (!stream.isTTY) {
    if (process.env.VARATLAS_PROGRESS !== 'lines') return { update: () => undefined, done: () => undefined };
    let last = '';
    return {
      update(stage, fraction) {
        const line = `${stage} ${Math.floor(Math.max(0, Math.min(1, fraction)) * 10) * 10}%`;
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      done: () => undefined,
    };
  }
  let last = '';
  return {
    update(stage, fraction) {
      const width = 30;
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
      const text = `${stage.padEnd(22)} [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(fraction * 100)
        .toString()
        .padStart(3)}%`;
      if (text !== last) stream.write(`\r${text}`);
      last = text;
    },
    done() {
      if (last) stream.write('\r' + ' '.repeat(last.length) + '\r');
      last = '';
    },
  };
}
