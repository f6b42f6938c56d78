import type { BotDirectory, BotUseCases } from '../../src/bot/ports.js';

/**
 * What a bot that only exercises the intake needs besides its chat: everyone an official of no agency,
 * no group bound, and use cases that throw if anything reaches them (`why` says whose bot it is).
 */
export function intakeOnly(why: string): { directory: BotDirectory; usecases: BotUseCases } {
  const idle = () => {
    throw new Error(why);
  };
  return {
    directory: {
      rolesOf: () => ['official'],
      agenciesOf: () => [],
      bindingOf: () => null,
      bindableAgencies: () => [],
    },
    usecases: {
      bindChat: idle,
      progress: {
        findTask: idle,
        recordReport: idle,
        confirmNoChange: idle,
        promptCard: idle,
        cardAfter: idle,
      },
      membership: { memberJoined: idle, memberLeft: idle },
      replies: { readText: idle, confirmReading: idle, reportCommand: idle, attachFile: idle },
      review: {
        verify: idle,
        returnTask: idle,
        requestExtension: idle,
        requestExtensionByArticle: idle,
        decideExtension: idle,
      },
      coordination: {
        taskBoard: idle,
        setDueDate: idle,
        assign: idle,
        unassign: idle,
        unbind: idle,
        pause: idle,
        resume: idle,
        remind: idle,
      },
    },
  };
}
