/** Child processes for the benchmark and what /proc says about them (CPU ticks, RSS). */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  /** The first match of the start pattern's group 1. */
  readonly match: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** stdout goes to this file (so logging costs real writes but not the terminal's). */
  readonly stdoutFile: string;
  /** Matched against stdout; the process is ready once it matches. */
  readonly ready: RegExp;
  readonly timeoutMs?: number;
}

export async function spawnChild(args: readonly string[], options: SpawnOptions): Promise<Child> {
  const out = openSync(options.stdoutFile, 'w');
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let match: RegExpExecArray | null = null;
  while (!match) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not start in time: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
    match = options.ready.exec(readFileSync(options.stdoutFile, 'utf8').slice(0, 64_000));
  }
  return {
    pid: child.pid!,
    process: child,
    match: match[1] ?? '',
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of a process so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / clockTicks();
}

/** Resident set size in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}
