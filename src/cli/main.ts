// `npm run cli -- …` and bin/duban.js land here: run the CLI on the process's streams and exit with its code.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exitCode = code;
