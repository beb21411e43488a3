/**
 * `switchboard start`: the only place with process-level side effects (signals, exit codes).
 * SIGHUP reloads the YAML; SIGTERM / SIGINT drain and exit 0. The handlers are installed before
 * anything is printed, so a signal sent as soon as the server says it listens never meets the
 * default action (which would kill the process).
 */
import { ConfigError } from './config/errors.js';
import { startGateway } from './server/start.js';

type Gateway = Awaited<ReturnType<typeof startGateway>>;

export async function main(): Promise<void> {
  let running: Gateway | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, draining…\n`);
    if (!running) process.exit(0);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', () => {
    // Before start-up has finished there is nothing to reload: the file is being read anyway.
    running?.reload().catch(() => {
      /* logged by reload(); the old configuration keeps serving */
    });
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    running = await startGateway();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`switchboard failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`Switchboard listening on ${running.url}\n`);
}
