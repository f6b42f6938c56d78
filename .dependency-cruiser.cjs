/**
 * Which part of Duban may import which, checked by `npm run deps` (part of `npm run check`) and by
 * tests/unit/architecture.test.ts. The direction is
 *   core ← store ← use cases ← (bot, scheduler, CLI) ← composition root (app.ts, main.ts, sandbox.ts)
 * with ports (src/ports) as the interfaces the use cases speak to and adapters (src/chat, the store)
 * at the edges; src/export writes workbooks from plain rows and use cases may call it. Each rule says
 * in its comment why the import is forbidden.
 *
 * An exception names the file it excuses and why; remove it when that file is fixed.
 */

/**
 * npm packages the core may use: pure computation or bundled data, no I/O. chrono-node (dates in
 * free text) and nzh (Chinese numerals) are string-to-value functions the reply reader calls.
 */
const PURE_PACKAGES = ['zod', 'chinese-days', 'chrono-node', 'nzh'];

const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** A package, wherever node_modules is (a worktree may link it from elsewhere). */
const pkg = (...names) => `(^|/)node_modules/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle means neither module can be understood, tested or replaced without the other; ' +
        'one of them holds something that belongs lower down.',
      from: { path: '^src/' },
      to: { circular: true },
    },

    // --- the core ------------------------------------------------------------------------------
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        'The core is the pure centre: everything else depends on it, so it may depend on nothing ' +
        'else in src/ (not the store, not the chat adapter, not even the logger).',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment:
        "The core does no I/O: Node's built-in modules (fs, http, net, child_process, …) are how a " +
        'program reaches files, sockets and processes. Pass data and `now` in instead.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-uses-only-pure-packages',
      severity: 'error',
      comment:
        'The core does no I/O, so its npm packages are pure ones (validation, bundled data): no ' +
        'drizzle, better-sqlite3, Lark SDK, node-cron or pino. Add a package to PURE_PACKAGES only ' +
        'if it computes and nothing else.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: NPM, pathNot: pkg(...PURE_PACKAGES) },
    },

    // --- each SDK in its adapter -----------------------------------------------------------------
    {
      name: 'database-lives-in-the-store',
      severity: 'error',
      comment:
        'drizzle and better-sqlite3 live in the store: the rest of the product talks to repositories, ' +
        'so the SQL, the schema and the transactions stay in one folder.',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: pkg('drizzle-orm', 'better-sqlite3') },
    },
    {
      name: 'lark-sdk-lives-in-the-chat-adapter',
      severity: 'error',
      comment:
        'The Lark SDK lives in the chat adapter (src/chat): everyone else speaks the chat port, so ' +
        'handlers are tested with a fake chat and Lark quirks are handled in one place.',
      from: { path: '^src/', pathNot: '^src/chat/' },
      to: { path: pkg('@larksuiteoapi') },
    },
    {
      name: 'node-cron-lives-in-the-scheduler',
      severity: 'error',
      comment:
        'node-cron lives in the scheduler: jobs are data with a `run`, so tests call `run` directly ' +
        'and no timer starts anywhere else.',
      from: { path: '^src/', pathNot: '^src/scheduler/' },
      to: { path: pkg('node-cron') },
    },
    {
      name: 'pino-lives-in-the-logger',
      severity: 'error',
      comment:
        'pino is configured once in src/logger.ts; modules take a Logger, so tests stay silent and ' +
        'the log format is decided in one place.',
      from: { path: '^src/', pathNot: '^src/logger\\.ts$' },
      to: { path: pkg('pino', 'pino-pretty') },
    },

    {
      name: 'exceljs-lives-in-export',
      severity: 'error',
      comment:
        'exceljs lives in src/export: the workbooks are written in one folder from plain rows, so the ' +
        'columns, formats and headers of every file the office receives are decided in one place.',
      from: { path: '^src/', pathNot: '^src/export/' },
      to: { path: pkg('exceljs') },
    },

    // --- layers ----------------------------------------------------------------------------------
    {
      name: 'export-writes-what-it-is-given',
      severity: 'error',
      comment:
        'The workbook writers turn plain rows into file bytes: they read no store and call no use ' +
        'case, so the use cases that gather the rows (and the tests) decide what goes in.',
      from: { path: '^src/export/' },
      to: { path: '^src/', pathNot: '^src/(export|core)/' },
    },
    {
      name: 'store-knows-only-the-core',
      severity: 'error',
      comment:
        'The store knows only the core (and the ports whose data it keeps): it stores what the ' +
        'product means, it does not call the product.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(store|core|ports)/' },
    },
    {
      name: 'config-knows-only-the-core',
      severity: 'error',
      comment:
        'Config is read before anything is wired: it validates files against schemas kept in the ' +
        'core and must not start or import the parts it configures.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|core)/' },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      comment: 'Ports are interfaces over core data; an implementation belongs in an adapter.',
      from: { path: '^src/ports/' },
      to: { path: '^src/', pathNot: '^src/(ports|core)/' },
    },
    {
      name: 'chat-adapter-implements-the-port',
      severity: 'error',
      comment:
        'The chat adapter turns Lark into the chat port and back; it knows nothing of the ledger, ' +
        'the use cases or who calls it.',
      from: { path: '^src/chat/' },
      to: { path: '^src/', pathNot: '^src/(chat|core|ports)/|^src/logger\\.ts$' },
    },
    {
      name: 'delivery-sends-what-the-outbox-holds',
      severity: 'error',
      comment:
        'The outbox dispatcher sends stored rows through the chat port; use cases call it, it ' +
        'calls no use case, handler or scheduler.',
      from: { path: '^src/delivery/' },
      to: { path: '^src/', pathNot: '^src/(delivery|core|ports|store)/|^src/logger\\.ts$' },
    },
    {
      name: 'a-use-case-does-not-know-who-runs-it',
      severity: 'error',
      comment:
        'A use case does not know who runs it: the bot, the scheduler and the CLI are thin front ' +
        'ends over the same function, so it imports none of them, no adapter and no composition root.',
      from: { path: '^src/usecases/' },
      to: { path: '^src/(bot|cli|scheduler|chat|emulator|config)/|^src/(app|main|sandbox)\\.ts$' },
    },
    {
      name: 'handlers-call-use-cases-not-repositories',
      severity: 'error',
      comment:
        'Handlers call use cases, not repositories: the bot reaches the ledger through use cases and ' +
        'ports, so a rule is written once and the CLI and the scheduler get it too.',
      from: { path: '^src/bot/' },
      to: { path: '^src/', pathNot: '^src/(bot|usecases|core|ports)/|^src/logger\\.ts$' },
    },
    {
      name: 'the-scheduler-runs-what-it-is-given',
      severity: 'error',
      comment:
        'The scheduler decides when, not what: it runs job definitions handed to it by the ' +
        'composition root, so it imports no store, use case or adapter.',
      from: { path: '^src/scheduler/' },
      to: { path: '^src/', pathNot: '^src/(scheduler|core)/|^src/logger\\.ts$' },
    },
    {
      name: 'the-cli-calls-use-cases-not-repositories',
      severity: 'error',
      comment:
        'The CLI is a front end like the bot: it calls use cases. It may open the database ' +
        '(store/database.ts, store/paths.ts) and mark which mode made it (store/database-mode.ts) ' +
        'because it is the composition root of its own process, ' +
        'and copy it whole (store/backup.ts: backup and restore work on the file, not the ledger).',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/(store|bot|scheduler|emulator)/|^src/(app|sandbox)\\.ts$',
        pathNot: '^src/store/(database|database-mode|paths|backup)\\.ts$',
      },
    },

    // --- the emulator ----------------------------------------------------------------------------
    {
      name: 'only-the-sandbox-wires-the-emulator',
      severity: 'error',
      comment:
        'The emulator is Lark, not Duban: only the composition root (app.ts, sandbox.ts) starts it; ' +
        'the product must work the same against the real Lark.',
      from: { path: '^src/', pathNot: '^src/emulator/|^src/(app|sandbox)\\.ts$' },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'the-emulator-is-lark-not-duban',
      severity: 'error',
      comment:
        'The emulator is Lark, not Duban: it imports nothing of the product (only the logger), so it ' +
        'cannot agree with the bot by sharing its code.',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/emulator/|^src/logger\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from the wrong layer still couples the layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // The emulator's web page is browser code served as files, not part of the module graph.
    exclude: { path: '^src/emulator/web/' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
