/**
 * `switchboard start`: the only place with process-level side effects (signals, exit codes).
 * SIGHUP reloads the YAML; SIGTERM / SIGINT drain and exit 0.
 */
import { ConfigError } from './config/errors.js';
import { startGateway } from './server/start.js';

export async function main(): Promise<void> {
  let gateway;
  try {
    gateway = await startGateway();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`switchboard failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const running = gateway;
  process.stdout.write(`Switchboard listening on ${running.url}\n`);

  process.on('SIGHUP', () => {
    running.reload().catch(() => {
      /* logged by reload(); the old configuration keeps serving */
    });
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, draining…\n`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
