/**
 * `npx switchboard <command>`: start, check-config [file], migrate, keys create|list|revoke,
 * accounts create. Operator commands work on the database directly, no server needed.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './config/errors.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from './config/load.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { migrateToLatest } from './db/migrate.js';
import { ALL_SCOPES, DEFAULT_SCOPES } from './keys/key-record.js';
import { KeyStore } from './keys/key-store.js';
import { MAX_KEY_NAME } from './keys/key-input.js';
import { KeyService, OPERATOR } from './keys/key-service.js';
import { AccountService, parseAccountName } from './accounts/account-service.js';
import { DEFAULT_ACCOUNT } from './keys/keyring.js';
import type { Scope } from './plugins/types.js';
import { rotateMasterKey } from './vault/rotate-master.js';

const USAGE = `Usage: switchboard <command> [options]

Commands:
  start                                  run the server (config: $SWITCHBOARD_CONFIG, ./config.yaml, ./config.example.yaml)
  check-config [file]                    validate a configuration file and exit
  migrate                                apply database migrations and exit
  keys create --name N [--admin] [--account A] [--scopes chat,read] [--mode live|test]
  keys list [--account A]
  keys revoke <id>
  accounts create --name N
  vault rotate-master                    re-encrypt the vault: old key $SWITCHBOARD_MASTER_KEY, new $SWITCHBOARD_NEW_MASTER_KEY

Options:
  --config FILE                          configuration file for operator commands
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`${line}\n`);
  process.exit(1);
};

async function withDatabase<T>(configFile: string | undefined, work: (db: DatabaseHandle, loaded: LoadedConfig) => Promise<T>): Promise<T> {
  const loaded = await loadConfig(await resolveConfigPath(process.env, process.cwd(), configFile));
  const database = openDatabase(loaded.config.database.url);
  try {
    const result = await migrateToLatest(database.db);
    if (result.error) throw new Error(`database migration failed: ${(result.error as Error).message}`);
    return await work(database, loaded);
  } finally {
    await database.close();
  }
}

async function checkConfig(file: string | undefined): Promise<void> {
  const path = await resolveConfigPath(process.env, process.cwd(), file);
  // Loaded on demand: the operator commands answer without importing the server's HTTP stack.
  const { checkConfigFile } = await import('./config/check.js');
  const loaded = await checkConfigFile(path, process.env, process.cwd());
  out(`${path}: OK (${loaded.config.providers.length} providers, ${loaded.config.models.length} models)`);
}

function parseScopes(value: string | undefined, admin: boolean): Scope[] {
  if (admin) return [...ALL_SCOPES];
  if (!value) return [...DEFAULT_SCOPES];
  const scopes = value.split(',').map((s) => s.trim());
  for (const s of scopes) if (!(ALL_SCOPES as readonly string[]).includes(s)) fail(`--scopes: unknown scope "${s}" (known: ${ALL_SCOPES.join(', ')})`);
  return scopes as Scope[];
}

export async function runCli(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      account: { type: 'string' },
      scopes: { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return;
  }

  switch (command) {
    case 'start':
      return (await import('./main.js')).main();
    case 'check-config':
      return checkConfig(sub ?? values.config);
    case 'migrate':
      return withDatabase(values.config, async () => {
        out('database is up to date');
      });
    case 'keys':
      return withDatabase(values.config, async ({ db }, loaded) => {
        const store = new KeyStore(db, { prefix: loaded.config.auth.key_prefix, clock: Date.now });
        const accounts = new AccountService(db, Date.now);
        const service = new KeyService({ db, keyStore: store, accounts, clock: Date.now, maxKeysPerAccount: () => loaded.config.auth.max_keys_per_account });
        if (sub === 'create') {
          if (!values.name) fail('keys create: --name is required');
          const mode = values.mode ?? 'live';
          if (mode !== 'live' && mode !== 'test') fail('--mode: must be live or test');
          const accountId = values.account ?? DEFAULT_ACCOUNT;
          const account = await accounts.resolve(accountId);
          if (!account) fail(`--account: no account "${accountId}"`);
          if (values.name!.length > MAX_KEY_NAME) fail(`--name: at most ${MAX_KEY_NAME} characters`);
          // The same rules as POST /api/keys (e.g. auth.max_keys_per_account), as an admin of every account.
          const { key, record } = await service.create(OPERATOR, {
            account: account!.id,
            name: values.name!,
            scopes: parseScopes(values.scopes, values.admin ?? false),
            mode: mode as 'live' | 'test',
          });
          out(`created key ${record.id} (${record.label}) for account ${account!.id} with scopes ${record.scopes.join(',')}`);
          out(key);
        } else if (sub === 'list') {
          let query = db.selectFrom('api_keys').select(['id', 'account_id', 'name', 'label', 'scopes', 'mode', 'disabled', 'revoked_at', 'created_at']);
          if (values.account) query = query.where('account_id', '=', values.account);
          for (const k of await query.orderBy('created_at').execute()) {
            out(`${k.id}  ${k.label}  ${k.account_id}  ${k.name}  ${k.scopes}  ${k.mode}${k.disabled ? '  disabled' : ''}${k.revoked_at ? '  revoked' : ''}`);
          }
        } else if (sub === 'revoke') {
          if (!arg) fail('keys revoke: the key id is required');
          const revoked = await service.revoke(OPERATOR, arg!).catch(() => null);
          if (!revoked) fail(`keys revoke: no active key with id ${arg}`);
          out(`revoked ${arg}`);
        } else fail(USAGE);
      });
    case 'accounts':
      return withDatabase(values.config, async ({ db }) => {
        if (sub !== 'create' || !values.name) fail('usage: accounts create --name N');
        const account = await new AccountService(db, Date.now).create(parseAccountName({ name: values.name }));
        out(`created account ${account.id} (${account.name})`);
      });
    case 'vault':
      if (sub !== 'rotate-master') fail('usage: vault rotate-master (with SWITCHBOARD_MASTER_KEY and SWITCHBOARD_NEW_MASTER_KEY set)');
      return withDatabase(values.config, async ({ db }) => {
        const { rotated, alreadyRotated } = await rotateMasterKey(db, process.env['SWITCHBOARD_MASTER_KEY'], process.env['SWITCHBOARD_NEW_MASTER_KEY']);
        out(
          `re-encrypted ${rotated} vault entr${rotated === 1 ? 'y' : 'ies'}${alreadyRotated > 0 ? ` (${alreadyRotated} already under the new key)` : ''}; start the server with SWITCHBOARD_MASTER_KEY set to the new key`,
        );
      });
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

runCli(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message);
  fail((err as Error).message);
});
