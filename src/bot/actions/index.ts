import { bindAgencyAction, bindCancelAction, bindConfirmAction, bindSpecialAction } from './bind.js';
import { importCancelAction, importConfirmAction } from './import.js';
import { decideInstructionAction } from './instructions.js';
import { noChangeAction, openReportAction, reportAction } from './progress.js';
import { replyConfirmAction } from './replies.js';
import {
  decideExtensionAction,
  openExtensionAction,
  requestExtensionAction,
  returnAction,
  verifyAction,
} from './review.js';
import type { CardAction } from './types.js';

/** Every card action the bot answers; a new one is a file beside this and a line here. */
export const cardActions: readonly CardAction[] = [
  bindAgencyAction,
  bindSpecialAction,
  bindConfirmAction,
  bindCancelAction,
  openReportAction,
  noChangeAction,
  reportAction,
  replyConfirmAction,
  verifyAction,
  returnAction,
  openExtensionAction,
  requestExtensionAction,
  decideExtensionAction,
  decideInstructionAction,
  importConfirmAction,
  importCancelAction,
];
