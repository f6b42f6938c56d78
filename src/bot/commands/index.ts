import { articleCommand } from './article.js';
import { assignCommand } from './assign.js';
import { bindCommand } from './bind.js';
import { digestCommand } from './digest.js';
import { dueCommand } from './due.js';
import { exportCommand } from './export.js';
import { extendCommand } from './extend.js';
import { createHelpCommand } from './help.js';
import { historyCommand } from './history.js';
import { importCommand } from './import.js';
import { pauseCommand } from './pause.js';
import { remindCommand } from './remind.js';
import { reportCommand } from './report.js';
import { resumeCommand } from './resume.js';
import { scoreCommand } from './score.js';
import { tasksCommand } from './tasks.js';
import type { Command } from './types.js';
import { unassignCommand } from './unassign.js';
import { unbindCommand } from './unbind.js';

/** Every slash command the bot answers, /help first; a new one is a file beside this and a line here. */
export function createCommands(): Command[] {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands),
    bindCommand,
    reportCommand,
    extendCommand,
    historyCommand,
    tasksCommand,
    articleCommand,
    dueCommand,
    assignCommand,
    unassignCommand,
    unbindCommand,
    remindCommand,
    pauseCommand,
    resumeCommand,
    digestCommand,
    scoreCommand,
    exportCommand,
    importCommand,
  );
  return commands;
}
