import { t } from '../../core/render/catalog.js';
import { backupDatabase, restoreDatabase } from '../../store/backup.js';
import { cliLocale, dbOption, type RegisterCommand } from '../context.js';
import { databasePath, resolveCwd } from '../io.js';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `duban backup FILE`: an online copy of the database; the bot may keep running. */
export const registerBackupCommand: RegisterCommand = (program, context) => {
  program
    .command('backup')
    .description('copy the database to FILE (SQLite online backup; the bot may keep running)')
    .argument('<file>', 'where to write the copy (refused if it exists, unless --force)')
    .option('--force', 'replace FILE if it exists')
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .action(async (file: string, options: { force?: boolean; json?: boolean; db?: string }) => {
      const result = await backupDatabase({
        source: databasePath(options.db, context.io),
        target: resolveCwd(file, context.cwd),
        overwrite: options.force === true,
      });
      if (options.json) {
        context.print(`${JSON.stringify(result)}\n`);
        return;
      }
      const locale = cliLocale(context.io);
      context.print(`${t('ops.backup.done', { path: result.path, size: size(result.bytes) }, locale)}\n`);
    });
};

/** `duban restore FILE`: puts a backup in place of the database; the bot must be stopped. */
export const registerRestoreCommand: RegisterCommand = (program, context) => {
  program
    .command('restore')
    .description('replace the database with a backup FILE (stop the bot first; the old one is kept)')
    .argument('<file>', 'a file written by `duban backup`')
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .action(async (file: string, options: { json?: boolean; db?: string }) => {
      const source = resolveCwd(file, context.cwd);
      const result = await restoreDatabase({
        source,
        target: databasePath(options.db, context.io),
        now: context.now(),
      });
      if (options.json) {
        context.print(`${JSON.stringify(result)}\n`);
        return;
      }
      const locale = cliLocale(context.io);
      context.print(`${t('ops.restore.done', { path: result.path, source }, locale)}\n`);
      if (result.previous !== undefined) {
        context.print(`${t('ops.restore.previous', { path: result.previous }, locale)}\n`);
      }
    });
};
