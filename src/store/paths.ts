import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location so that no command depends on the cwd. */
export const projectRoot: string = fileURLToPath(new URL('../..', import.meta.url));

export const migrationsFolder: string = join(projectRoot, 'db', 'migrations');

/** `DUBAN_DB_PATH` when set, else db/duban.sqlite under the project root; relative paths resolve from the root. */
export function defaultDatabasePath(env: Record<string, string | undefined> = process.env): string {
  const configured = env.DUBAN_DB_PATH?.trim();
  if (configured) return resolveFromRoot(configured);
  return join(projectRoot, 'db', 'duban.sqlite');
}

export function resolveFromRoot(path: string): string {
  if (path === ':memory:' || isAbsolute(path)) return path;
  return resolve(projectRoot, path);
}
