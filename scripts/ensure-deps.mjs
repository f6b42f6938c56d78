// Installs dependencies when node_modules is missing or stale against package-lock.json,
// so that `npm start` and `npm test` work on a fresh clone without a separate install step.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const lockPath = join(root, 'package-lock.json');

function staleReason() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(lockPath)) return 'package-lock.json is missing';
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || key.split('node_modules/').length > 2) continue;
    if (entry.optional) continue;
    const manifest = join(root, key, 'package.json');
    if (!existsSync(manifest)) return `${key.slice(13)} is not installed`;
    const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
    if (installed !== entry.version)
      return `${key.slice(13)} is ${installed}, the lock file wants ${entry.version}`;
  }
  return null;
}

const reason = staleReason();
if (reason) {
  console.error(`Installing dependencies (${reason})…`);
  const command = existsSync(lockPath) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund';
  execSync(command, { cwd: root, stdio: 'inherit' });
}
