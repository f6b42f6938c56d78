import { t } from '../../core/render/catalog.js';
import { importPreviewCard, importProblem } from '../import-cards.js';
import { commandArgs, noMore } from './args.js';
import { defineCommand } from './types.js';

/**
 * `/import`, sent as a reply to a decision file (.txt or .docx) posted in the coordinators' group: the
 * bot reads the file and answers with a preview card; only [确认导入] changes the ledger. A reply, because
 * a Lark file message carries no text of its own to hold the command.
 */
export const importCommand = defineCommand({
  name: 'import',
  summary: 'import.command.summary',
  usage: 'import.command.usage',
  roles: ['coordinator'],
  args: commandArgs((tokens, fail) => {
    noMore(tokens, fail);
    return {};
  }),
  async handle(ctx) {
    const chatImport = ctx.deps.usecases.chatImport;
    if (chatImport === undefined) return;
    const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
    if (binding?.kind !== 'special' || binding.role !== 'coordinators') {
      await ctx.reply(t('import.command.onlyCoordinatorsChat'));
      return;
    }
    const fileMessageId = ctx.event.parentId;
    if (fileMessageId === undefined || fileMessageId === '') {
      await ctx.reply(t('import.command.replyToFile'));
      return;
    }
    let card: ReturnType<typeof importPreviewCard>;
    try {
      card = importPreviewCard(await chatImport.preview({ messageId: fileMessageId, now: ctx.now }));
    } catch (error) {
      const problem = importProblem(error);
      if (problem === null) {
        ctx.logger.error({ err: error, fileMessageId }, 'import preview failed');
        await ctx.reply(t('import.downloadFailed'));
        return;
      }
      await ctx.reply(problem);
      return;
    }
    await ctx.reply({ kind: 'card', card });
  },
});
