// The supervisor: runs one command and makes it die with the process that started this one,
// however that process ends (exit, crash, SIGKILL). Started as
//   node supervisor.mjs <file> [args…]
// with its stdin a pipe that the parent holds open. The kernel closes that pipe when the parent
// dies for any reason, and the parent closes it to stop the child, so end-of-file on stdin is
// the one "stop": the child's process group gets SIGTERM, then SIGKILL after a grace period.
// SIGINT, SIGTERM and SIGHUP are ignored: a terminal's Ctrl-C or hang-up, or a tool such as
// `timeout`, signals the whole process group, and the parent decides when to stop (it may
// finish checking what it started first). The child runs in its own process group (those
// signals do not reach it either) with stdout and stderr inherited; the supervisor exits with
// the child's status (128 + signal number when killed), and takes the child's group with it.
// Plain JavaScript, node: imports only: it must start fast and never fail to load.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('supervisor: usage: node supervisor.mjs <file> [args…]\n');
  process.exit(2);
}
const graceMs = Number(process.env.ONESIM_SUPERVISOR_GRACE_MS ?? 2_000);
const posix = process.platform !== 'win32';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: posix });

function signalChild(signal) {
  try {
    // Detached: the child leads its own group, so -pid reaches whatever it started too.
    if (posix) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

let stopping = false;
function stop() {
  if (stopping || child.pid === undefined) return;
  stopping = true;
  signalChild('SIGTERM');
  setTimeout(() => signalChild('SIGKILL'), graceMs).unref();
}

child.on('error', (error) => {
  process.stderr.write(`supervisor: cannot start ${file}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Whatever the child left in its group goes with it.
  if (posix) signalChild('SIGKILL');
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
// SIGUSR2 is the parent's explicit "stop now" (@viem/anvil's stop sends it): no terminal or
// `timeout` sends it to a whole process group.
process.on('SIGUSR2', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
