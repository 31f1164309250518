import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/**
 * Run the CLI in a child process with progress as lines, and stop it with `signal` as soon as what it
 * has written to stderr passes `ready`; return how it ended (`sent`: whether the signal was sent).
 */
export async function interruptedCli(args: string[], ready: (stderr: string) => boolean, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VARATLAS_PROGRESS: 'lines' },
  });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => {
    stderr += String(d);
    if (!sent && ready(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  const [code, killedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, killedBy, stderr, sent };
}
