/**
 * The message catalog: every string the bot shows to a person, in zh-CN (what users see)
 * with en-US beside it. Handlers and renderers call `t(key, params)`; they hold no wording.
 *
 * Entries are grouped by feature in clearly marked sections; add to your section only.
 */

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

// biome-ignore lint/suspicious/noExplicitAny: params are typed per entry via the function signature
type Text = string | ((params: any) => string);
interface Entry {
  'zh-CN': Text;
  'en-US': Text;
}

const entries = {
  // --- common --------------------------------------------------------------------------------
  'common.lead': { 'zh-CN': '牵头', 'en-US': 'lead' },
  'common.participant': { 'zh-CN': '参与', 'en-US': 'participant' },
  'common.none': { 'zh-CN': '无', 'en-US': 'none' },
  // A task's place (src/core/render/task-place.ts): a decision's article, or a leader's instruction (批示),
  // numbered on its own per year and never to be read as the decision's article of that number.
  'place.article': {
    'zh-CN': (p: { no: number }) => `第${p.no}条`,
    'en-US': (p: { no: number }) => `Art. ${p.no}`,
  },
  'place.instruction': {
    'zh-CN': (p: { no: number }) => `批示${p.no}`,
    'en-US': (p: { no: number }) => `Instruction ${p.no}`,
  },

  // --- lights (序时进度): reasons beyond the prompt card's (src/core/progress/lights.ts) ---------
  'lights.reason.recovered': {
    'zh-CN': (p: { was: string }) => `本周期内已补正（此前${p.was}）`,
    'en-US': (p: { was: string }) => `made up this cycle (was ${p.was})`,
  },
  'lights.cause.overdue': { 'zh-CN': '逾期', 'en-US': 'overdue' },
  'lights.cause.blocked': { 'zh-CN': '受阻', 'en-US': 'blocked' },
  'lights.cause.separator': { 'zh-CN': '、', 'en-US': ' and ' },
  'lights.reason.noDueDate': { 'zh-CN': '未设截止', 'en-US': 'no due date set' },
  'lights.reason.ongoing': { 'zh-CN': '长期坚持，进展正常', 'en-US': 'ongoing work, on track' },

  // --- scoring (article 34) and the xlsx exports ----------------------------------------------
  'scoring.rule.verifiedOnTime': { 'zh-CN': '按期完成销号', 'en-US': 'verified on time' },
  'scoring.rule.verifiedLate': { 'zh-CN': '逾期完成销号', 'en-US': 'verified late' },
  'scoring.rule.overdue': { 'zh-CN': '逾期未完成', 'en-US': 'overdue' },
  'scoring.rule.returned': { 'zh-CN': '被退回', 'en-US': 'returned' },
  'scoring.rule.missedAnswer': { 'zh-CN': '未按期报送', 'en-US': 'missed answer' },
  'scoring.rule.unapprovedDelay': { 'zh-CN': '未经批准延期', 'en-US': 'unapproved delay' },
  'scoring.rule.extensionApproved': { 'zh-CN': '批准延期', 'en-US': 'approved extension' },
  'score.card.title': {
    'zh-CN': (p: { period: string }) => `考评得分 · ${p.period}`,
    'en-US': (p: { period: string }) => `Scores · ${p.period}`,
  },
  'score.card.subtitle': {
    'zh-CN': (p: { start: string; end: string }) => `${p.start} 至 ${p.end}`,
    'en-US': (p: { start: string; end: string }) => `${p.start} to ${p.end}`,
  },
  'score.card.empty': { 'zh-CN': '本期暂无计分记录。', 'en-US': 'Nothing scored in this period yet.' },
  'score.card.quiet': {
    'zh-CN': (p: { count: number }) => `另有 ${p.count} 个单位本期无计分记录（0 分）。`,
    'en-US': (p: { count: number }) => `${p.count} more agencies have nothing scored (0).`,
  },
  'score.card.line': {
    'zh-CN': (p: {
      date: string;
      rule: string;
      place: string;
      role: string;
      points: string;
      source: string;
    }) => `${p.date} ${p.rule} ${p.place}（${p.role}） ${p.points}　${p.source}`,
    'en-US': (p: {
      date: string;
      rule: string;
      place: string;
      role: string;
      points: string;
      source: string;
    }) => `${p.date} ${p.rule}, ${p.place} (${p.role}) ${p.points}  ${p.source}`,
  },
  'score.card.prompt': {
    'zh-CN': (p: { id: number }) => `催报#${p.id}`,
    'en-US': (p: { id: number }) => `prompt #${p.id}`,
  },
  'score.card.more': {
    'zh-CN': (p: { count: number }) => `……另有 ${p.count} 条`,
    'en-US': (p: { count: number }) => `… ${p.count} more`,
  },
  'score.card.footer': {
    'zh-CN': (p: { period: string }) =>
      `#号为审计事件编号。全部明细：\`duban score --period ${p.period}\` 或 /export scores ${p.period}`,
    'en-US': (p: { period: string }) =>
      `# numbers are audit events. Every line: \`duban score --period ${p.period}\` or /export scores ${p.period}`,
  },
  'bot.cmd.score.summary': { 'zh-CN': '查看各单位考评得分', 'en-US': "Show the agencies' scores" },
  'bot.cmd.score.usage': {
    'zh-CN': '/score [期间]，期间如 2026-11、2026-Q4、2026，默认为本季度',
    'en-US': '/score [PERIOD], e.g. 2026-11, 2026-Q4 or 2026; the current quarter by default',
  },
  'bot.cmd.score.badPeriod': {
    'zh-CN': '期间的写法：月份 2026-11，季度 2026-Q4，年份 2026',
    'en-US': 'Write a month as 2026-11, a quarter as 2026-Q4, or a year as 2026',
  },
  'bot.cmd.export.summary': {
    'zh-CN': '导出台账或考评表（xlsx）',
    'en-US': 'Export the ledger or the scores (xlsx)',
  },
  'bot.cmd.export.usage': {
    'zh-CN': '/export ledger|scores [期间]，如 /export ledger、/export scores 2026-Q4',
    'en-US': '/export ledger|scores [PERIOD], e.g. /export ledger, /export scores 2026-Q4',
  },
  'bot.cmd.export.badKind': {
    'zh-CN': '请写明导出台账（ledger）还是考评表（scores）',
    'en-US': 'Say which to export: ledger or scores',
  },
  'bot.cmd.export.failed': {
    'zh-CN': '文件未能发出，请稍后重试，或在服务器上运行 duban export。',
    'en-US': 'The file could not be sent; try again later, or run duban export on the server.',
  },
  'export.blockedSuffix': { 'zh-CN': '（受阻）', 'en-US': ' (blocked)' },
  'export.ledger.sheet': { 'zh-CN': '台账', 'en-US': 'Ledger' },
  'export.ledger.part': { 'zh-CN': '部分', 'en-US': 'Part' },
  'export.ledger.article': { 'zh-CN': '条', 'en-US': 'Article' },
  'export.ledger.title': { 'zh-CN': '工作任务', 'en-US': 'Task' },
  'export.ledger.agency': { 'zh-CN': '责任单位', 'en-US': 'Agency' },
  'export.ledger.role': { 'zh-CN': '角色', 'en-US': 'Role' },
  'export.ledger.dueDate': { 'zh-CN': '截止日期', 'en-US': 'Due date' },
  'export.ledger.dueWritten': { 'zh-CN': '时限要求', 'en-US': 'Deadline as written' },
  'export.ledger.status': { 'zh-CN': '状态', 'en-US': 'Status' },
  'export.ledger.percent': { 'zh-CN': '完成比例', 'en-US': 'Percent done' },
  'export.ledger.light': { 'zh-CN': '序时进度', 'en-US': 'Light' },
  'export.ledger.lightReason': { 'zh-CN': '原因', 'en-US': 'Reason' },
  'export.ledger.lastReport': { 'zh-CN': '最近报送', 'en-US': 'Last report' },
  'export.ledger.verifiedAt': { 'zh-CN': '销号时间', 'en-US': 'Verified' },
  'export.history.sheet': { 'zh-CN': '报送记录', 'en-US': 'Reports' },
  'export.history.at': { 'zh-CN': '时间', 'en-US': 'When' },
  'export.history.actor': { 'zh-CN': '报送人', 'en-US': 'Reported by' },
  'export.history.note': { 'zh-CN': '进展说明', 'en-US': 'Note' },
  'export.targets.sheet': { 'zh-CN': '量化指标', 'en-US': 'Targets' },
  'export.targets.metric': { 'zh-CN': '指标', 'en-US': 'Metric' },
  'export.targets.comparator': { 'zh-CN': '比较', 'en-US': 'Comparison' },
  'export.targets.value': { 'zh-CN': '目标值', 'en-US': 'Target' },
  'export.targets.unit': { 'zh-CN': '计量单位', 'en-US': 'Unit' },
  'export.targets.deadlineYear': { 'zh-CN': '目标年份', 'en-US': 'By year' },
  'export.targets.reported': { 'zh-CN': '报送完成情况', 'en-US': 'Reported' },
  'export.scores.sheet': {
    'zh-CN': (p: { period: string }) => `考评汇总（${p.period}）`,
    'en-US': (p: { period: string }) => `Scores ${p.period}`,
  },
  'export.scores.linesSheet': { 'zh-CN': '评分明细', 'en-US': 'Score lines' },
  'export.scores.rank': { 'zh-CN': '名次', 'en-US': 'Rank' },
  'export.scores.agency': { 'zh-CN': '单位', 'en-US': 'Agency' },
  'export.scores.total': { 'zh-CN': '总分', 'en-US': 'Total' },
  'export.scores.change': { 'zh-CN': '较上期', 'en-US': 'Change' },
  'export.scores.lineCount': { 'zh-CN': '明细条数', 'en-US': 'Lines' },
  'export.scores.date': { 'zh-CN': '日期', 'en-US': 'Date' },
  'export.scores.rule': { 'zh-CN': '考评项目', 'en-US': 'Rule' },
  'export.scores.points': { 'zh-CN': '分值', 'en-US': 'Points' },
  'export.scores.event': { 'zh-CN': '审计事件', 'en-US': 'Audit event' },
  'export.scores.task': { 'zh-CN': '任务编号', 'en-US': 'Task id' },

  // --- bot: help, commands, errors -------------------------------------------------------------
  'bot.name': { 'zh-CN': '督办', 'en-US': 'Duban' },
  'bot.help.title': { 'zh-CN': '督办助手 · 使用说明', 'en-US': 'Duban · help' },
  'bot.help.intro': {
    'zh-CN': '我把市委市政府决定拆解为各单位的任务，按时提醒、收集进展，并为督查室和领导汇总督办情况。',
    'en-US':
      'I break a policy decision into tasks per agency, remind on schedule, collect progress and report to coordinators and leaders.',
  },
  'bot.help.commands': { 'zh-CN': '**可用命令**', 'en-US': '**Commands**' },
  'bot.help.chatBound': {
    'zh-CN': (p: { agency: string }) => `本群已绑定单位：**${p.agency}**`,
    'en-US': (p: { agency: string }) => `This group is bound to **${p.agency}**`,
  },
  'bot.help.chatSpecial': {
    'zh-CN': (p: { role: string }) => `本群是：**${p.role}**`,
    'en-US': (p: { role: string }) => `This group is the **${p.role}**`,
  },
  'bot.help.chatUnbound': {
    'zh-CN': '本群尚未绑定单位。督查室工作人员可发送 `/bind 单位名称` 完成绑定。',
    'en-US': 'This group is not bound to an agency yet. A coordinator can send `/bind AGENCY`.',
  },
  // Without the im:message.group_msg scope Lark delivers only group messages that @ the bot.
  'bot.help.footer': {
    'zh-CN':
      '在群里请先 @督办 再发命令或回复（如 `@督办 /help`），这样总能送达；只有本应用获准读取群内全部消息时，直接发送以 / 开头的命令才有效。',
    'en-US':
      'In a group, mention @Duban before a command or reply (e.g. `@Duban /help`): that always reaches me. A bare message starting with / works only where the app may read all group messages.',
  },
  'bot.help.roleOnly': { 'zh-CN': '（督查室）', 'en-US': '(coordinators)' },
  'bot.cmd.help.summary': { 'zh-CN': '查看我能做什么', 'en-US': 'show what I can do' },
  'bot.cmd.help.usage': { 'zh-CN': '/help', 'en-US': '/help' },
  'bot.cmd.bind.summary': {
    'zh-CN': '把本群绑定到一个单位（或督查室、领导群）',
    'en-US': 'bind this group to an agency (or the coordinators or leaders)',
  },
  'bot.cmd.bind.usage': {
    'zh-CN': '/bind 单位名称，例如 /bind 市科技局；/bind 督查室；/bind 领导',
    'en-US': '/bind AGENCY, e.g. /bind 市科技局; /bind 督查室; /bind 领导',
  },
  'bot.cmd.bind.missing': { 'zh-CN': '请写明要绑定的单位名称。', 'en-US': 'Name the agency to bind.' },
  'bot.bind.done': {
    'zh-CN': (p: { agency: string }) => `已将本群绑定到「${p.agency}」。今后该单位的督办提醒会发到这里。`,
    'en-US': (p: { agency: string }) =>
      `This group is now bound to "${p.agency}". Its prompts will come here.`,
  },
  'bot.bind.specialDone': {
    'zh-CN': (p: { role: string }) => `已将本群设为「${p.role}」。`,
    'en-US': (p: { role: string }) => `This group is now the "${p.role}".`,
  },
  'bot.bind.unknownAgency': {
    'zh-CN': (p: { name: string; suggestions: string }) =>
      `没有找到单位「${p.name}」。${p.suggestions ? `您是不是要找：${p.suggestions}？` : '请检查名称，或请管理员在 config/agencies.json 中添加。'}`,
    'en-US': (p: { name: string; suggestions: string }) =>
      `No agency named "${p.name}".${p.suggestions ? ` Did you mean: ${p.suggestions}?` : ' Check the name, or ask an administrator to add it to config/agencies.json.'}`,
  },
  'bot.bind.collective': {
    'zh-CN': (p: { name: string }) => `「${p.name}」是集合称谓，不能绑定到一个群。请绑定具体单位。`,
    'en-US': (p: { name: string }) =>
      `"${p.name}" is a collective name and cannot be bound to one group. Bind a specific agency.`,
  },
  'bot.bind.inactive': {
    'zh-CN': (p: { name: string }) => `「${p.name}」已不在单位名录（config/agencies.json）中，不能绑定。`,
    'en-US': (p: { name: string }) =>
      `"${p.name}" is no longer in the agency registry (config/agencies.json) and cannot be bound.`,
  },
  'bot.bind.already': {
    'zh-CN': (p: { target: string }) => `本群已经是「${p.target}」，无需重复绑定。`,
    'en-US': (p: { target: string }) => `This group is already the "${p.target}" group; nothing to change.`,
  },
  'bot.bind.confirmTitle': { 'zh-CN': '确认更改绑定', 'en-US': 'Confirm the new binding' },
  'bot.bind.confirmIntro': {
    'zh-CN': (p: { target: string }) => `将把本群绑定为「${p.target}」。这会改变现有绑定：`,
    'en-US': (p: { target: string }) =>
      `This group will become "${p.target}". That changes existing bindings:`,
  },
  'bot.bind.change.chatWasAgency': {
    'zh-CN': (p: { agency: string }) =>
      `本群目前是「${p.agency}」的群；改绑后${p.agency}将没有群，收不到督办提醒，直到为它另行绑定。`,
    'en-US': (p: { agency: string }) =>
      `This group serves "${p.agency}" today; afterwards ${p.agency} has no group and gets no prompts until one is bound.`,
  },
  'bot.bind.change.chatWasSpecial': {
    'zh-CN': (p: { role: string }) => `本群目前是「${p.role}」；改绑后将不再是${p.role}。`,
    'en-US': (p: { role: string }) => `This group is the "${p.role}" today; afterwards it no longer is.`,
  },
  'bot.bind.change.targetMoved': {
    'zh-CN': (p: { target: string }) =>
      `「${p.target}」目前绑定在另一个群；确认后那个群将解除绑定，并收到通知。`,
    'en-US': (p: { target: string }) =>
      `"${p.target}" is bound to another group today; that group loses the binding and is told.`,
  },
  'bot.bind.confirm': { 'zh-CN': '确认更改', 'en-US': 'Change it' },
  'bot.bind.cancel': { 'zh-CN': '取消', 'en-US': 'Cancel' },
  'bot.bind.cancelled': {
    'zh-CN': '已取消，绑定未做任何更改。',
    'en-US': 'Cancelled; no binding was changed.',
  },
  'bot.bind.lost': {
    'zh-CN': (p: { target: string }) =>
      `本群已不再是「${p.target}」：督查室已将其改绑到另一个群。如有疑问，请联系督查室。`,
    'en-US': (p: { target: string }) =>
      `This group is no longer the "${p.target}" group: a coordinator bound it to another group. Ask the coordinators if this is unexpected.`,
  },
  'bot.bind.movedNote': {
    'zh-CN': '原来的群已收到解绑通知。',
    'en-US': 'The previous group has been told.',
  },
  'bot.role.coordinators': { 'zh-CN': '督查室', 'en-US': 'coordinators' },
  'bot.role.leaders': { 'zh-CN': '领导', 'en-US': 'leaders' },
  'bot.role.coordinatorsGroup': { 'zh-CN': '督查室群', 'en-US': "coordinators' group" },
  'bot.role.leadersGroup': { 'zh-CN': '领导群', 'en-US': "leaders' group" },
  'bot.error.unknownCommand': {
    'zh-CN': (p: { name: string }) => `没有「/${p.name}」这个命令。发送 /help 查看可用命令。`,
    'en-US': (p: { name: string }) => `There is no /${p.name} command. Send /help to see the commands.`,
  },
  'bot.error.badArgs': {
    'zh-CN': (p: { problem: string; usage: string }) => `${p.problem}\n用法：${p.usage}`,
    'en-US': (p: { problem: string; usage: string }) => `${p.problem}\nUsage: ${p.usage}`,
  },
  'bot.error.forbidden': {
    'zh-CN': (p: { name: string }) => `「/${p.name}」仅限督查室工作人员使用。`,
    'en-US': (p: { name: string }) => `/${p.name} is for coordinators only.`,
  },
  'bot.error.internal': {
    'zh-CN': '抱歉，处理时出了问题，已记录。请稍后再试。',
    'en-US': 'Sorry, something went wrong. It has been logged; please try again later.',
  },
  'bot.error.busy': {
    'zh-CN': '督办助手正忙，这次点击未处理，请稍后再点一次。',
    'en-US': 'Duban is busy and did not take this tap; please tap again in a moment.',
  },
  'bot.hint.mentionOnly': {
    'zh-CN': '您好，我是督办助手。发送 /help 查看我能做什么。',
    'en-US': 'Hello, I am Duban. Send /help to see what I can do.',
  },
  'bot.onboard.title': { 'zh-CN': '督办助手已加入本群', 'en-US': 'Duban joined this group' },
  'bot.onboard.body': {
    'zh-CN': '请督查室工作人员选择本群对应的单位。绑定后，该单位的任务提醒和进展收集都在本群进行。',
    'en-US':
      'A coordinator should choose the agency this group serves. Prompts and progress for it will then happen here.',
  },
  'bot.onboard.select': { 'zh-CN': '选择单位', 'en-US': 'Choose an agency' },
  'bot.onboard.submit': { 'zh-CN': '绑定', 'en-US': 'Bind' },
  'bot.onboard.asCoordinators': { 'zh-CN': '设为督查室群', 'en-US': "Make this the coordinators' group" },
  'bot.onboard.asLeaders': { 'zh-CN': '设为领导群', 'en-US': "Make this the leaders' group" },
  'bot.onboard.boundTitle': { 'zh-CN': '本群已完成绑定', 'en-US': 'This group is bound' },
  'bot.onboard.pickFirst': { 'zh-CN': '请先选择一个单位。', 'en-US': 'Choose an agency first.' },
  'bot.report.pickStatus': {
    'zh-CN': '请选择任务状态后再提交。',
    'en-US': 'Choose a status before submitting.',
  },
  'bot.report.badPercent': {
    'zh-CN': '完成比例请填 0 到 100 之间的整数。',
    'en-US': 'The percentage must be a whole number from 0 to 100.',
  },
  'bot.report.noteTooLong': {
    'zh-CN': '进展说明太长了，请精简到 1000 字以内。',
    'en-US': 'The note is too long (1000 characters at most).',
  },
  'bot.report.badEvidence': {
    'zh-CN': '佐证材料请填写以 http:// 或 https:// 开头的链接。',
    'en-US': 'The evidence must be a link starting with http:// or https://.',
  },
  'bot.report.blockedNeedsReason': {
    'zh-CN': '标记为受阻时，请在进展说明里写明原因和需要的协调。',
    'en-US': 'When marking a task blocked, say why in the note.',
  },
  'bot.report.forbidden': {
    'zh-CN': '只有本单位的承办人或督查室工作人员可以报送这项任务的进展。',
    'en-US': "Only this agency's officials or a coordinator can report on this task.",
  },
  'bot.report.closed': {
    'zh-CN': '这项任务已销号或已从决定中移除，无需再报送。',
    'en-US': 'This task is verified or was removed from the decision; no report is needed.',
  },
  'bot.report.done': {
    'zh-CN': (p: { article: number; status: string; percent: number }) =>
      `已记录第${p.article}条的进展：${p.status}，${p.percent}%。`,
    'en-US': (p: { article: number; status: string; percent: number }) =>
      `Recorded for article ${p.article}: ${p.status}, ${p.percent}%.`,
  },
  'bot.noChange.done': {
    'zh-CN': (p: { count: number; skipped?: number }) =>
      `已确认：本周 ${p.count} 项任务无变化${p.skipped ? `（另有 ${p.skipped} 项本周已报送，保持不变）` : ''}。本周不会再就这些任务催报，谢谢！`,
    'en-US': (p: { count: number; skipped?: number }) =>
      `Confirmed: no change on ${p.count} task(s) this cycle${p.skipped ? ` (${p.skipped} already reported, left as they are)` : ''}. No more prompts about them this week.`,
  },
  'bot.noChange.allReported': {
    'zh-CN': '本周期的任务都已报送过进展，无需再确认无变化。',
    'en-US': 'Every task already has a report this cycle; nothing to confirm.',
  },
  'bot.card.stale': {
    'zh-CN': (p: { card: string; current: string }) =>
      `这张卡片属于 ${p.card}，已过期，本次操作未记录。请在本周期（${p.current}）最新的「督办提醒」卡片上操作。`,
    'en-US': (p: { card: string; current: string }) =>
      `This card belongs to ${p.card} and has expired; nothing was recorded. Use the latest prompt card of this cycle (${p.current}).`,
  },
  'bot.card.noCycle': {
    'zh-CN': '这张卡片没有标明周期，已无法使用，本次操作未记录。请在最新的「督办提醒」卡片上操作。',
    'en-US':
      'This card carries no cycle and can no longer be used; nothing was recorded. Use the latest prompt card.',
  },
  'bot.report.doneSince': {
    'zh-CN': (p: { article: number; by: string; date: string }) =>
      `第${p.article}条已于 ${p.date} 由 ${p.by} 报完成，这张卡片早于该报告，本次报送未记录。如需更正，请在最新的卡片上点「更正」。`,
    'en-US': (p: { article: number; by: string; date: string }) =>
      `Article ${p.article} was reported done by ${p.by} at ${p.date}, after this card was issued; nothing was recorded. To correct it, tap "Correct" on the latest card.`,
  },
  'bot.report.corrected': {
    'zh-CN': (p: { article: number; status: string; percent: number }) =>
      `已更正第${p.article}条的完成报告：${p.status}，${p.percent}%。`,
    'en-US': (p: { article: number; status: string; percent: number }) =>
      `Corrected the done report of article ${p.article}: ${p.status}, ${p.percent}%.`,
  },
  'bot.noChange.nothingOpen': {
    'zh-CN': '本单位目前没有需要报送的任务。',
    'en-US': 'This agency has no open task to report on.',
  },
  'bot.noChange.forbidden': {
    'zh-CN': '只有本单位的承办人或督查室工作人员可以确认本周无变化。',
    'en-US': "Only this agency's officials or a coordinator can confirm no change.",
  },
  'bot.action.malformed': {
    'zh-CN': '这个按钮的数据不完整或已过时，请在最新的卡片上操作。',
    'en-US': 'This button carries incomplete or outdated data; use the latest card.',
  },
  'bot.action.gone': {
    'zh-CN': '这张卡片对应的任务已不存在，请在最新的卡片上操作。',
    'en-US': 'What this card points at no longer exists; use the latest card.',
  },
  'bot.action.wrongChat': {
    'zh-CN': '这张卡片只能在对应单位自己的群里操作。',
    'en-US': "This card can only be used in its agency's own group.",
  },
  'bot.action.notOfficial': {
    'zh-CN': '只有本单位的承办人或督查室工作人员可以进行这项操作。',
    'en-US': "Only this agency's officials or a coordinator can do this.",
  },
  'bot.action.coordinatorsOnly': {
    'zh-CN': '这项操作仅限督查室工作人员。',
    'en-US': 'Only coordinators can do this.',
  },
  'bot.action.unavailable': {
    'zh-CN': '这个操作目前不可用。发送 /help 查看可用的功能。',
    'en-US': 'This action is not available. Send /help to see what is.',
  },

  // --- ledger: import, tasks, agencies ---------------------------------------------------------
  // --- the CLI's human output: duban parse, import, agencies, history, score, export ------------
  'cli.parse.summary': {
    'zh-CN': (p: { parts: number; articles: number; indicators: number }) =>
      `共 ${p.parts} 部分、${p.articles} 条、${p.indicators} 项指标`,
    'en-US': (p: { parts: number; articles: number; indicators: number }) =>
      `${p.parts} parts, ${p.articles} articles, ${p.indicators} indicators`,
  },
  'cli.parse.header.no': { 'zh-CN': '条', 'en-US': 'No' },
  'cli.parse.header.label': { 'zh-CN': '编号', 'en-US': 'Label' },
  'cli.parse.header.part': { 'zh-CN': '部分', 'en-US': 'Part' },
  'cli.parse.header.title': { 'zh-CN': '标题', 'en-US': 'Title' },
  'cli.parse.header.leads': { 'zh-CN': '牵头单位', 'en-US': 'Leads' },
  'cli.parse.header.participants': { 'zh-CN': '参与单位', 'en-US': 'Participants' },
  'cli.parse.header.due': { 'zh-CN': '截止', 'en-US': 'Due' },
  'cli.parse.header.indicators': { 'zh-CN': '指标', 'en-US': 'Ind.' },
  'cli.parse.noClause': { 'zh-CN': '（无责任条款）', 'en-US': '(no clause)' },
  'cli.parse.separator': { 'zh-CN': '、', 'en-US': ', ' },
  'cli.parse.due.ongoing': { 'zh-CN': '长期坚持', 'en-US': 'ongoing' },
  'cli.parse.due.month': { 'zh-CN': '每月', 'en-US': 'every month' },
  'cli.parse.due.quarter': { 'zh-CN': '每季度', 'en-US': 'every quarter' },
  'cli.parse.due.half-year': { 'zh-CN': '每半年', 'en-US': 'every half-year' },
  'cli.parse.due.year': { 'zh-CN': '每年', 'en-US': 'every year' },
  'cli.parse.warnings': { 'zh-CN': '提示：', 'en-US': 'Warnings:' },
  'cli.parse.warning': {
    'zh-CN': (p: { article: number | null; message: string }) =>
      `  ${p.article === null ? '' : `第${p.article}条：`}${p.message}`,
    'en-US': (p: { article: number | null; message: string }) =>
      `  ${p.article === null ? '' : `article ${p.article}: `}${p.message}`,
  },
  'cli.import.decision': {
    'zh-CN': (p: { title: string }) => `决定：  ${p.title}`,
    'en-US': (p: { title: string }) => `Decision: ${p.title}`,
  },
  'cli.import.source': {
    'zh-CN': (p: { source: string }) => `文件：  ${p.source}`,
    'en-US': (p: { source: string }) => `Source:   ${p.source}`,
  },
  'cli.import.database': {
    'zh-CN': (p: { path: string }) => `数据库：${p.path}`,
    'en-US': (p: { path: string }) => `Database: ${p.path}`,
  },
  'cli.import.status': {
    'zh-CN': (p: { status: string }) => `状态：  ${p.status}`,
    'en-US': (p: { status: string }) => `Status:   ${p.status}`,
  },
  'cli.import.status.new': { 'zh-CN': '新文件', 'en-US': 'new document' },
  'cli.import.status.unchanged': {
    'zh-CN': (p: { id: number }) => `已导入为文件 #${p.id}（文本相同）`,
    'en-US': (p: { id: number }) => `already imported as document #${p.id} (same text)`,
  },
  'cli.import.status.revision': {
    'zh-CN': (p: { id: number }) => `文件 #${p.id} 的修订稿`,
    'en-US': (p: { id: number }) => `revised text of document #${p.id}`,
  },
  'cli.import.counts': {
    'zh-CN': (p: { parts: number; articles: number; agencies: number; indicators: number; tasks: number }) =>
      `部分：${p.parts}   条：${p.articles}   单位：${p.agencies}   指标：${p.indicators}   将新建任务：${p.tasks}`,
    'en-US': (p: { parts: number; articles: number; agencies: number; indicators: number; tasks: number }) =>
      `Parts: ${p.parts}   Articles: ${p.articles}   Agencies: ${p.agencies}   Indicators: ${p.indicators}   Tasks to create: ${p.tasks}`,
  },
  'cli.import.noClause': {
    'zh-CN': (p: { articles: string }) => `无责任条款的条目（指导性内容，不生成任务）：${p.articles}`,
    'en-US': (p: { articles: string }) =>
      `Articles without a responsibility clause (guidance, no tasks): ${p.articles}`,
  },
  'cli.import.unknown': {
    'zh-CN': '单位名录中没有的名称（任务保留、暂无单位）：',
    'en-US': 'Names the agency registry does not know (tasks kept visible, unassigned):',
  },
  'cli.import.unknownItem': {
    'zh-CN': (p: { article: number; role: string; text: string }) =>
      `  第${p.article}条（${p.role}）：${p.text}`,
    'en-US': (p: { article: number; role: string; text: string }) =>
      `  article ${p.article} (${p.role}): ${p.text}`,
  },
  'cli.import.unknownFix': {
    'zh-CN': '  处理办法：在 config/agencies.json 中添加别名，然后重新导入。',
    'en-US': '  To fix: add them as aliases in config/agencies.json, then import again.',
  },
  'cli.import.notes': { 'zh-CN': '确认前请核对：', 'en-US': 'To check before confirming:' },
  'cli.import.indicators': { 'zh-CN': '指标：', 'en-US': 'Indicators:' },
  'cli.import.header.article': { 'zh-CN': '条', 'en-US': 'Art.' },
  'cli.import.header.metric': { 'zh-CN': '指标', 'en-US': 'Metric' },
  'cli.import.header.target': { 'zh-CN': '目标', 'en-US': 'Target' },
  'cli.import.header.by': { 'zh-CN': '期限', 'en-US': 'By' },
  'cli.import.perYear': { 'zh-CN': ' / 年', 'en-US': ' / year' },
  'cli.import.pastDeadlines': {
    'zh-CN': '已过期的指标期限（仅提示，不生成逾期任务）：',
    'en-US': 'Deadlines already past (reported only; no task is made overdue):',
  },
  'cli.import.pastDeadline': {
    'zh-CN': (p: { article: number; metric: string; year: number }) =>
      `  第${p.article}条：${p.metric}，期限 ${p.year} 年`,
    'en-US': (p: { article: number; metric: string; year: number }) =>
      `  article ${p.article}: ${p.metric} by ${p.year}`,
  },
  'cli.import.changes': { 'zh-CN': '与已存文本相比的变化：', 'en-US': 'Changes against the stored text:' },
  'cli.import.added': {
    'zh-CN': (p: { no: number; title: string }) => `  + 第${p.no}条 ${p.title}`,
    'en-US': (p: { no: number; title: string }) => `  + article ${p.no} ${p.title}`,
  },
  'cli.import.removed': {
    'zh-CN': (p: { no: number; title: string }) => `  - 第${p.no}条 ${p.title}（相关任务将关闭）`,
    'en-US': (p: { no: number; title: string }) => `  - article ${p.no} ${p.title} (its tasks are closed)`,
  },
  'cli.import.changed': {
    'zh-CN': (p: { no: number; title: string; changes: string }) =>
      `  ~ 第${p.no}条 ${p.title}（${p.changes}有变化）`,
    'en-US': (p: { no: number; title: string; changes: string }) =>
      `  ~ article ${p.no} ${p.title} (${p.changes} changed)`,
  },
  'cli.import.renumbered': {
    'zh-CN': (p: { count: number }) => `  ${p.count} 条重新编号`,
    'en-US': (p: { count: number }) => `  ${p.count} article(s) renumbered`,
  },
  'cli.import.agencies': {
    'zh-CN': (p: { article: number; changes: string }) => `  第${p.article}条：${p.changes}`,
    'en-US': (p: { article: number; changes: string }) => `  article ${p.article}: ${p.changes}`,
  },
  'cli.import.kept': {
    'zh-CN': (p: { kept: number; create: number; close: number }) =>
      `  保留进度的任务 ${p.kept} 项，将新建 ${p.create} 项，将关闭 ${p.close} 项`,
    'en-US': (p: { kept: number; create: number; close: number }) =>
      `  tasks kept with their progress: ${p.kept}, to create: ${p.create}, to close: ${p.close}`,
  },
  'cli.import.nothingToDo': {
    'zh-CN': '无需导入：台账中已有完全相同的文本。',
    'en-US': 'Nothing to do: this exact text is already in the ledger.',
  },
  'cli.import.confirm': {
    'zh-CN': (p: { tasks: number }) => `确认导入（将新建 ${p.tasks} 项任务）？[y/N] `,
    'en-US': (p: { tasks: number }) => `Apply this import (${p.tasks} tasks to create)? [y/N] `,
  },
  'cli.import.notImported': { 'zh-CN': '未导入。', 'en-US': 'Not imported.' },
  'cli.import.done': {
    'zh-CN': (p: {
      id: number;
      added: number;
      updated: number;
      removed: number;
      created: number;
      closed: number;
      events: number;
    }) =>
      `已导入文件 #${p.id}：新增 ${p.added} 条，更新 ${p.updated} 条，删除 ${p.removed} 条；新建任务 ${p.created} 项，关闭 ${p.closed} 项；审计事件 ${p.events} 条。`,
    'en-US': (p: {
      id: number;
      added: number;
      updated: number;
      removed: number;
      created: number;
      closed: number;
      events: number;
    }) =>
      `Imported into document #${p.id}: ${p.added} articles added, ${p.updated} updated, ${p.removed} removed; ${p.created} tasks created, ${p.closed} closed; ${p.events} audit events.`,
  },
  'cli.agencies.header.agency': { 'zh-CN': '单位', 'en-US': 'Agency' },
  'cli.agencies.header.kind': { 'zh-CN': '类别', 'en-US': 'Kind' },
  'cli.agencies.header.aliases': { 'zh-CN': '别名', 'en-US': 'Aliases' },
  'cli.agencies.header.chat': { 'zh-CN': '群聊', 'en-US': 'Chat' },
  'cli.agencies.header.lead': { 'zh-CN': '牵头', 'en-US': 'Lead' },
  'cli.agencies.header.participant': { 'zh-CN': '参与', 'en-US': 'Part.' },
  'cli.agencies.header.paused': { 'zh-CN': '暂停', 'en-US': 'Paused' },
  'cli.agencies.kind.department': { 'zh-CN': '部门', 'en-US': 'department' },
  'cli.agencies.kind.district': { 'zh-CN': '区', 'en-US': 'district' },
  'cli.agencies.kind.external': { 'zh-CN': '外部单位', 'en-US': 'external' },
  'cli.agencies.kind.collective': {
    'zh-CN': (p: { expandsTo: string | null }) => `集合（${p.expandsTo ?? '全部'}）`,
    'en-US': (p: { expandsTo: string | null }) => `collective (${p.expandsTo ?? 'all'})`,
  },
  'cli.agencies.paused': { 'zh-CN': '是', 'en-US': 'yes' },
  'cli.agencies.pausedUntil': {
    'zh-CN': (p: { until: string }) => `至 ${p.until}`,
    'en-US': (p: { until: string }) => `until ${p.until}`,
  },
  'cli.agencies.count': {
    'zh-CN': (p: { count: number }) => `共 ${p.count} 个单位`,
    'en-US': (p: { count: number }) => `${p.count} agencies`,
  },
  'cli.history.count': {
    'zh-CN': (p: { count: number }) => `共 ${p.count} 条记录`,
    'en-US': (p: { count: number }) => `${p.count} event(s)`,
  },
  'cli.score.line': {
    'zh-CN': (p: {
      date: string;
      rule: string;
      place: string;
      role: string;
      points: string;
      source: string;
    }) => `  ${p.date}  ${p.rule}  ${p.place}（${p.role}）  ${p.points}  ${p.source}`,
    'en-US': (p: {
      date: string;
      rule: string;
      place: string;
      role: string;
      points: string;
      source: string;
    }) => `  ${p.date}  ${p.rule}  ${p.place} (${p.role})  ${p.points}  ${p.source}`,
  },
  'cli.score.audit': {
    'zh-CN': (p: { id: number }) => `审计#${p.id}`,
    'en-US': (p: { id: number }) => `audit #${p.id}`,
  },
  'cli.export.written': {
    'zh-CN': (p: { path: string; bytes: number }) => `已写入 ${p.path}（${p.bytes} 字节）`,
    'en-US': (p: { path: string; bytes: number }) => `${p.path} (${p.bytes} bytes)`,
  },

  // --- pause: duban pause / duban resume ------------------------------------------------------
  'pause.agency.done': {
    'zh-CN': (p: { agency: string; until: string | null }) =>
      `已暂停「${p.agency}」的督办提醒，${p.until === null ? '直到手动恢复' : `至 ${p.until}（含当日）`}。`,
    'en-US': (p: { agency: string; until: string | null }) =>
      `Paused prompts for ${p.agency} ${p.until === null ? 'until resumed' : `through ${p.until}`}.`,
  },
  'pause.agency.unchanged': {
    'zh-CN': (p: { agency: string; until: string | null }) =>
      `「${p.agency}」已处于暂停状态（${p.until === null ? '直到手动恢复' : `至 ${p.until}`}），未作更改。`,
    'en-US': (p: { agency: string; until: string | null }) =>
      `${p.agency} was already paused ${p.until === null ? 'until resumed' : `through ${p.until}`}; nothing changed.`,
  },
  'pause.all.done': {
    'zh-CN': (p: { until: string | null }) =>
      `已暂停全部单位的督办提醒，${p.until === null ? '直到手动恢复' : `至 ${p.until}（含当日）`}。`,
    'en-US': (p: { until: string | null }) =>
      `Paused prompts for every agency ${p.until === null ? 'until resumed' : `through ${p.until}`}.`,
  },
  'pause.all.unchanged': {
    'zh-CN': (p: { until: string | null }) =>
      `全部单位的督办提醒已处于暂停状态（${p.until === null ? '直到手动恢复' : `至 ${p.until}`}），未作更改。`,
    'en-US': (p: { until: string | null }) =>
      `Every agency was already paused ${p.until === null ? 'until resumed' : `through ${p.until}`}; nothing changed.`,
  },
  'resume.agency.done': {
    'zh-CN': (p: { agency: string }) => `已恢复「${p.agency}」的督办提醒。`,
    'en-US': (p: { agency: string }) => `Resumed prompts for ${p.agency}.`,
  },
  'resume.agency.unchanged': {
    'zh-CN': (p: { agency: string }) => `「${p.agency}」未暂停，无需恢复。`,
    'en-US': (p: { agency: string }) => `${p.agency} was not paused; nothing changed.`,
  },
  'resume.all.done': {
    'zh-CN': '已解除全局暂停，督办提醒恢复发送。',
    'en-US': 'Lifted the global pause; prompts go out again.',
  },
  'resume.all.unchanged': {
    'zh-CN': '当前没有全局暂停，无需恢复。',
    'en-US': 'There was no global pause; nothing changed.',
  },
  'resume.stillPaused': {
    'zh-CN': (p: { agencies: string }) =>
      `以下单位仍单独暂停：${p.agencies}。如需恢复，请运行 duban resume --agency 单位名称。`,
    'en-US': (p: { agencies: string }) =>
      `Still paused on their own: ${p.agencies}. To resume one, run duban resume --agency NAME.`,
  },
  'resume.globalStillPaused': {
    'zh-CN': '注意：全局暂停仍在生效，提醒暂不会发送。如需解除，请运行 duban resume --all。',
    'en-US':
      'Note: the global pause still holds, so no prompt goes out yet. To lift it, run duban resume --all.',
  },
  'pause.listSeparator': { 'zh-CN': '、', 'en-US': ', ' },

  // --- replies: reading a free-text reply (duban reply-parse, later the bot's echo) --------------
  'replies.status.not_started': { 'zh-CN': '未开始', 'en-US': 'not started' },
  'replies.status.in_progress': { 'zh-CN': '进行中', 'en-US': 'in progress' },
  'replies.status.done': { 'zh-CN': '已完成', 'en-US': 'done' },
  'replies.status.blocked': { 'zh-CN': '受阻', 'en-US': 'blocked' },
  'replies.status.unknown': { 'zh-CN': '状态不明', 'en-US': 'status unclear' },
  'replies.article': {
    'zh-CN': (p: { article: number }) => `第${p.article}条`,
    'en-US': (p: { article: number }) => `Art. ${p.article}`,
  },
  'replies.noArticle': { 'zh-CN': '未写明条目', 'en-US': 'no article named' },
  'replies.eta': {
    'zh-CN': (p: { eta: string }) => `预计 ${p.eta}`,
    'en-US': (p: { eta: string }) => `ETA ${p.eta}`,
  },
  'replies.agencies': {
    'zh-CN': (p: { names: string }) => `涉及 ${p.names}`,
    'en-US': (p: { names: string }) => `names ${p.names}`,
  },
  'replies.blockers': {
    'zh-CN': (p: { text: string }) => `困难：${p.text}`,
    'en-US': (p: { text: string }) => `obstacles: ${p.text}`,
  },
  'replies.noChange': { 'zh-CN': '无新进展', 'en-US': 'no change' },
  'replies.confidence.high': { 'zh-CN': '把握：高', 'en-US': 'confidence: high' },
  'replies.confidence.low': {
    'zh-CN': (p: { reasons: string }) => `把握：低（${p.reasons}）`,
    'en-US': (p: { reasons: string }) => `confidence: low (${p.reasons})`,
  },
  'replies.doubt.no_status': { 'zh-CN': '未说明进展状态', 'en-US': 'no status stated' },
  'replies.doubt.no_change': { 'zh-CN': '表示无新进展', 'en-US': 'says nothing changed' },
  'replies.doubt.conflicting_status': { 'zh-CN': '状态前后矛盾', 'en-US': 'statuses contradict' },
  'replies.doubt.partial_step': {
    'zh-CN': '完成的可能只是其中一个环节',
    'en-US': 'only a step may be done',
  },
  'replies.doubt.vague_status': { 'zh-CN': '状态表述不够明确', 'en-US': 'status only implied' },
  'replies.doubt.several_articles': { 'zh-CN': '提到了多个条目', 'en-US': 'several articles named' },
  'replies.doubt.several_percents': { 'zh-CN': '出现多个百分比', 'en-US': 'several percents' },
  'replies.doubt.percent_out_of_range': { 'zh-CN': '百分比超过100', 'en-US': 'percent above 100' },
  'replies.doubt.percent_unclear': {
    'zh-CN': '百分比不是 0 到 100 的整数',
    'en-US': 'percent not a whole number from 0 to 100',
  },
  'replies.doubt.eta_past': { 'zh-CN': '预计日期已过', 'en-US': 'the ETA is past' },
  'replies.doubt.question': { 'zh-CN': '像是提问', 'en-US': 'reads as a question' },
  'replies.doubt.unreadable': { 'zh-CN': '含大量无法识别的字符', 'en-US': 'mostly unreadable characters' },
  'replies.doubt.too_long': { 'zh-CN': '内容过长', 'en-US': 'too long for a reply' },
  'replies.listSeparator': { 'zh-CN': '、', 'en-US': ', ' },
  'replies.fieldSeparator': { 'zh-CN': ' · ', 'en-US': ' · ' },

  // --- chat replies: free text read and confirmed, /report, evidence files --------------------
  'chatReplies.echo.title': { 'zh-CN': '请确认进展', 'en-US': 'Confirm this update' },
  'chatReplies.echo.intro': { 'zh-CN': '从您的回复中读到：', 'en-US': 'Your reply reads as:' },
  'chatReplies.echo.footer': {
    'zh-CN': '点「确认」后记录；如有出入，请点「修改」在表单中填写。',
    'en-US': 'Tap Confirm to record it; if anything is off, tap Edit and use the form.',
  },
  'chatReplies.echo.confirm': { 'zh-CN': '确认', 'en-US': 'Confirm' },
  'chatReplies.echo.edit': { 'zh-CN': '修改', 'en-US': 'Edit' },
  'chatReplies.unsure.title': { 'zh-CN': '请补充说明', 'en-US': 'Please say a little more' },
  'chatReplies.unsure.body': {
    'zh-CN': (p: { reasons: string }) =>
      `这条回复有不确定之处（${p.reasons}），未作记录。请补充后重新回复，或点「填写表单」。`,
    'en-US': (p: { reasons: string }) =>
      `Part of this reply is unclear (${p.reasons}); nothing was recorded. Reply again with more detail, or tap "Use the form".`,
  },
  'chatReplies.unsure.edit': { 'zh-CN': '填写表单', 'en-US': 'Use the form' },
  'chatReplies.line.eta': {
    'zh-CN': (p: { eta: string }) => `预计 ${p.eta}`,
    'en-US': (p: { eta: string }) => `ETA ${p.eta}`,
  },
  'chatReplies.line.agencies': {
    'zh-CN': (p: { names: string }) => `需 ${p.names} 配合`,
    'en-US': (p: { names: string }) => `needs ${p.names}`,
  },
  'chatReplies.line.blocked': {
    'zh-CN': (p: { reason: string }) => `受阻：${p.reason}`,
    'en-US': (p: { reason: string }) => `blocked: ${p.reason}`,
  },
  'chatReplies.line.unknown': { 'zh-CN': '状态不明', 'en-US': 'status unclear' },
  'chatReplies.task': {
    'zh-CN': (p: { article: number; title: string }) => `第${p.article}条 ${p.title}`,
    'en-US': (p: { article: number; title: string }) => `Art. ${p.article} ${p.title}`,
  },
  'chatReplies.help': {
    'zh-CN':
      '没能读懂这条回复，未作记录。可以这样写：「第13条 已完成70%，预计6月底完成」，或发送 /report 13 进行中 70。',
    'en-US':
      'I could not read this reply; nothing was recorded. Try "第13条 已完成70%，预计6月底完成", or send /report 13 in_progress 70.',
  },
  'chatReplies.whichTask': {
    'zh-CN': (p: { list: string }) =>
      `本单位有多项任务，请写明是第几条（如「第3条 已完成70%」），未作记录：${p.list}`,
    'en-US': (p: { list: string }) =>
      `This agency has several tasks; say which article (e.g. "第3条 done 70%"). Nothing was recorded: ${p.list}`,
  },
  'chatReplies.noSuchArticle': {
    'zh-CN': (p: { article: number; list: string }) =>
      `本单位没有第${p.article}条的任务，未作记录。本单位的任务：${p.list}`,
    'en-US': (p: { article: number; list: string }) =>
      `This agency has no task under article ${p.article}; nothing was recorded. Its tasks: ${p.list}`,
  },
  'chatReplies.nothingOpen': {
    'zh-CN': '本单位目前没有需要报送的任务，未作记录。',
    'en-US': 'This agency has no open task to report on; nothing was recorded.',
  },
  'chatReplies.forbidden': {
    'zh-CN': '只有本单位的承办人或督查室工作人员可以报送进展，未作记录。',
    'en-US': "Only this agency's officials or a coordinator can report progress; nothing was recorded.",
  },
  'chatReplies.notAgencyChat': {
    'zh-CN': '请在本单位的工作群里报送进展。',
    'en-US': "Report progress in your agency's own group.",
  },
  'chatReplies.recordedTitle': { 'zh-CN': '已记录', 'en-US': 'Recorded' },
  'chatReplies.listItem': {
    'zh-CN': (p: { article: number; title: string }) => `第${p.article}条 ${p.title}`,
    'en-US': (p: { article: number; title: string }) => `art. ${p.article} ${p.title}`,
  },
  'chatReplies.evidence.attached': {
    'zh-CN': (p: { article: number; name: string }) => `已将「${p.name}」存为第${p.article}条的佐证材料。`,
    'en-US': (p: { article: number; name: string }) =>
      `Kept "${p.name}" as evidence for article ${p.article}.`,
  },
  'chatReplies.evidence.image': { 'zh-CN': '图片', 'en-US': 'the image' },
  'chatReplies.evidence.which': {
    'zh-CN': (p: { list: string }) =>
      `已收到文件，但本单位有多项任务，未能确定归属，未存档。请在文件名中写明条目（如「第3条…」）后重新发送：${p.list}`,
    'en-US': (p: { list: string }) =>
      `Got the file, but this agency has several tasks, so it was not filed. Put the article in the file name (e.g. "第3条…") and send it again: ${p.list}`,
  },
  'bot.cmd.report.summary': { 'zh-CN': '报送一项任务的进展', 'en-US': "Report a task's progress" },
  'bot.cmd.report.usage': {
    'zh-CN':
      '/report 条目 状态 [百分比] [说明]，如 /report 13 进行中 70 已完成招标。状态：未开始、进行中、已完成、受阻',
    'en-US':
      '/report ARTICLE STATUS [PERCENT] [note], e.g. /report 13 in_progress 70 tender done. STATUS: not_started, in_progress, done, blocked',
  },
  'bot.cmd.report.missing': {
    'zh-CN': '请写明条目和状态。',
    'en-US': 'Give the article and the status.',
  },
  'bot.cmd.report.badArticle': {
    'zh-CN': (p: { text: string }) => `「${p.text}」不是条目编号，请写数字，如 13 或 第13条。`,
    'en-US': (p: { text: string }) => `"${p.text}" is not an article number; write one like 13.`,
  },
  'bot.cmd.report.badStatus': {
    'zh-CN': (p: { text: string }) => `「${p.text}」不是可用的状态。`,
    'en-US': (p: { text: string }) => `"${p.text}" is not a status.`,
  },
  'bot.cmd.report.blockedNeedsReason': {
    'zh-CN': '状态为受阻时，请在最后写明原因。',
    'en-US': 'When the status is blocked, give the reason at the end.',
  },

  // --- prompts: cycles, follow-ups, escalation, outbox -----------------------------------------
  'prompts.card.title': {
    'zh-CN': (p: { agency: string }) => `督办提醒 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Progress check · ${p.agency}`,
  },
  'prompts.card.subtitle': {
    'zh-CN': (p: { cycle: string; count: number }) => `${p.cycle} · ${p.count} 项任务待更新`,
    'en-US': (p: { cycle: string; count: number }) =>
      `${p.cycle} · ${p.count} open task${p.count === 1 ? '' : 's'}`,
  },
  'prompts.card.page': {
    'zh-CN': (p: { page: number; pages: number }) => `第 ${p.page}/${p.pages} 页`,
    'en-US': (p: { page: number; pages: number }) => `page ${p.page}/${p.pages}`,
  },
  'prompts.card.summary': {
    'zh-CN': (p: { count: number }) => `督办提醒：${p.count} 项任务请更新进展`,
    'en-US': (p: { count: number }) => `Duban: ${p.count} task${p.count === 1 ? '' : 's'} to update`,
  },
  'prompts.card.intro': {
    'zh-CN':
      '每项任务一行：点「报送」填写进展（表单按上次报送预填，只改有变化的项）；本周期都没有变化的，点最下方「本周无变化」。在群里用文字回复时，请先 @督办。',
    'en-US':
      'One line per task: tap "Report" to update it (the form is prefilled from your last report, so change only what moved); if nothing changed this cycle, tap "No change this cycle" at the bottom. To answer in words in the group, mention @Duban first.',
  },
  'prompts.card.recorded': {
    'zh-CN': (p: { place: string; status: string; percent: number; by: string; date: string }) =>
      `✅ 已记录${p.place}：${p.status} ${p.percent}%（${p.by}，${p.date}）`,
    'en-US': (p: { place: string; status: string; percent: number; by: string; date: string }) =>
      `✅ Recorded for ${p.place}: ${p.status} ${p.percent}% (${p.by}, ${p.date})`,
  },
  'prompts.task.line': {
    'zh-CN': (p: { place: string; title: string; role: string; due: string }) =>
      `**${p.place}** ${p.title}　${p.role} · ${p.due}`,
    'en-US': (p: { place: string; title: string; role: string; due: string }) =>
      `**${p.place}** ${p.title} · ${p.role} · ${p.due}`,
  },
  'prompts.task.dueOn': {
    'zh-CN': (p: { due: string }) => `截止 ${p.due}`,
    'en-US': (p: { due: string }) => `due ${p.due}`,
  },
  'prompts.task.lastNoChange': {
    'zh-CN': (p: { status: string; percent: number; date: string; by: string }) =>
      `本周无变化：${p.status} ${p.percent}%（${p.by}，${p.date}）`,
    'en-US': (p: { status: string; percent: number; date: string; by: string }) =>
      `No change: ${p.status} ${p.percent}% (${p.by}, ${p.date})`,
  },
  'prompts.row.open': { 'zh-CN': '报送', 'en-US': 'Report' },
  'prompts.row.correct': { 'zh-CN': '更正', 'en-US': 'Correct' },
  'prompts.row.close': { 'zh-CN': '收起', 'en-US': 'Close' },

  'prompts.task.noDue': { 'zh-CN': '未设截止', 'en-US': 'no due date' },
  'prompts.task.lastReport': {
    'zh-CN': (p: { status: string; percent: number; date: string; by: string }) =>
      `上次报送：${p.status} ${p.percent}%（${p.by}，${p.date}）`,
    'en-US': (p: { status: string; percent: number; date: string; by: string }) =>
      `Last report: ${p.status} ${p.percent}% (${p.by}, ${p.date})`,
  },
  'prompts.task.neverReported': {
    'zh-CN': (p: { status: string; percent: number }) => `尚未报送（当前：${p.status} ${p.percent}%）`,
    'en-US': (p: { status: string; percent: number }) => `No report yet (now: ${p.status} ${p.percent}%)`,
  },
  'prompts.status.not_started': { 'zh-CN': '未开始', 'en-US': 'not started' },
  'prompts.status.in_progress': { 'zh-CN': '进行中', 'en-US': 'in progress' },
  'prompts.status.reported_done': { 'zh-CN': '已完成（待销号）', 'en-US': 'done (awaiting verification)' },
  'prompts.status.verified': { 'zh-CN': '已销号', 'en-US': 'verified' },
  'prompts.status.returned': { 'zh-CN': '已退回', 'en-US': 'returned' },
  'prompts.status.blocked': { 'zh-CN': '受阻', 'en-US': 'blocked' },
  'prompts.light.red': { 'zh-CN': '红灯', 'en-US': 'red' },
  'prompts.light.yellow': { 'zh-CN': '黄灯', 'en-US': 'yellow' },
  'prompts.light.green': { 'zh-CN': '绿灯', 'en-US': 'green' },
  'prompts.light.line': {
    'zh-CN': (p: { light: string; reason: string }) => `${p.light}：${p.reason}`,
    'en-US': (p: { light: string; reason: string }) => `${p.light}: ${p.reason}`,
  },
  'prompts.reason.overdue': {
    'zh-CN': (p: { days: number }) => `已逾期 ${p.days} 天`,
    'en-US': (p: { days: number }) => `overdue by ${p.days} day${p.days === 1 ? '' : 's'}`,
  },
  'prompts.reason.blocked': {
    'zh-CN': (p: { reason: string }) => `受阻：${p.reason}`,
    'en-US': (p: { reason: string }) => `blocked: ${p.reason}`,
  },
  'prompts.reason.behind': {
    'zh-CN': (p: { percent: number; expected: number }) =>
      `进度 ${p.percent}%，落后于序时进度 ${p.expected}%`,
    'en-US': (p: { percent: number; expected: number }) =>
      `${p.percent}% done, behind the elapsed-time schedule of ${p.expected}%`,
  },
  'prompts.reason.noReply': { 'zh-CN': '本周期尚未报送进展', 'en-US': 'no report this cycle' },
  'prompts.reason.blockedNoReason': { 'zh-CN': '受阻', 'en-US': 'blocked' },
  'prompts.reason.done': { 'zh-CN': '已完成', 'en-US': 'done' },
  'prompts.reason.separator': { 'zh-CN': '；', 'en-US': '; ' },
  'prompts.reason.onTrack': { 'zh-CN': '进度正常', 'en-US': 'on track' },
  'prompts.form.status': { 'zh-CN': '状态', 'en-US': 'Status' },
  'prompts.form.percent': { 'zh-CN': '完成比例（0–100）', 'en-US': 'Percent done (0–100)' },
  'prompts.form.note': { 'zh-CN': '进展说明', 'en-US': 'Progress note' },
  'prompts.form.notePlaceholder': {
    'zh-CN': '本周做了什么、遇到什么困难、需要哪个单位配合',
    'en-US': 'What moved, what is in the way, which agency you need',
  },
  'prompts.form.evidence': { 'zh-CN': '佐证材料链接', 'en-US': 'Evidence link' },
  'prompts.form.evidencePlaceholder': {
    'zh-CN': '文件或网页链接（可选）',
    'en-US': 'Link to a document or page (optional)',
  },
  'prompts.form.submit': { 'zh-CN': '提交进展', 'en-US': 'Submit progress' },
  'prompts.form.correct': { 'zh-CN': '更正完成报告', 'en-US': 'Correct the done report' },
  'prompts.form.correctTitle': { 'zh-CN': '更正已完成的报告？', 'en-US': 'Correct a done report?' },
  'prompts.form.correctText': {
    'zh-CN': '这项任务已报完成。提交后将以本次填写的内容更正完成报告，并记入审计记录。',
    'en-US': 'This task was reported done. Submitting replaces that report with this one and is audited.',
  },
  'prompts.noChange': { 'zh-CN': '本周无变化', 'en-US': 'No change this cycle' },
  'prompts.outbox.failed': {
    'zh-CN': (p: { agency: string; kind: string; cycle: string; reason: string }) =>
      `「${p.agency}」未能收到${p.cycle}的${p.kind}：${p.reason}`,
    'en-US': (p: { agency: string; kind: string; cycle: string; reason: string }) =>
      `${p.agency} did not receive the ${p.kind} for ${p.cycle}: ${p.reason}`,
  },
  'prompts.notice.budget': {
    'zh-CN': (p: { agency: string; cycle: string; deferred: string }) =>
      `「${p.agency}」${p.cycle} 的消息额度已用完，${p.deferred}顺延到下一周期。`,
    'en-US': (p: { agency: string; cycle: string; deferred: string }) =>
      `${p.agency} has used its message budget for ${p.cycle}; the ${p.deferred} waits for the next cycle.`,
  },
  'prompts.kind.prompt': { 'zh-CN': '督办提醒', 'en-US': 'prompt' },
  'prompts.kind.follow_up': { 'zh-CN': '催办提醒', 'en-US': 'follow-up' },
  'prompts.kind.escalation': { 'zh-CN': '升级提醒', 'en-US': 'escalation' },
  'prompts.kind.due_reminder': { 'zh-CN': '到期提醒', 'en-US': 'due-date reminder' },
  'prompts.kind.silent_participants': { 'zh-CN': '参与单位未反馈提醒', 'en-US': 'silent-participants flag' },
  'prompts.skip.no_open_tasks': { 'zh-CN': '没有未完成的任务', 'en-US': 'no open tasks' },
  'prompts.skip.paused': { 'zh-CN': '提醒已暂停', 'en-US': 'paused' },
  'prompts.skip.budget': { 'zh-CN': '本周消息额度已用完', 'en-US': 'weekly budget spent' },
  'prompts.skip.no_chat': { 'zh-CN': '尚未绑定群聊', 'en-US': 'no bound group' },
  'prompts.skip.already_planned': { 'zh-CN': '本周期已发送过', 'en-US': 'already sent this cycle' },
  'prompts.skip.already_replied': { 'zh-CN': '本周期已报送进展', 'en-US': 'already answered this cycle' },
  'prompts.skip.card_too_large': {
    'zh-CN': '卡片超出飞书大小限制，未能生成',
    'en-US': "its card exceeds Lark's size limits",
  },
  'prompts.skip.not_working_day': { 'zh-CN': '今天不是工作日', 'en-US': 'not a working day' },
  'prompts.preview.header': {
    'zh-CN': (p: { cycle: string }) => `督办提醒预览（${p.cycle}，试运行，未发送）`,
    'en-US': (p: { cycle: string }) => `Prompt preview (${p.cycle}, dry run, nothing sent)`,
  },
  'prompts.preview.line': {
    'zh-CN': (p: { agency: string; tasks: number; pages: number }) =>
      `${p.agency}：${p.tasks} 项任务，${p.pages === 1 ? '1 张卡片' : `分 ${p.pages} 页发送`}`,
    'en-US': (p: { agency: string; tasks: number; pages: number }) =>
      `${p.agency}: ${p.tasks} task${p.tasks === 1 ? '' : 's'}, ${p.pages === 1 ? '1 card' : `${p.pages} pages`}`,
  },
  'prompts.preview.task': {
    'zh-CN': (p: { place: string; title: string; role: string; light: string }) =>
      `  · ${p.place} ${p.title}（${p.role}）${p.light}`,
    'en-US': (p: { place: string; title: string; role: string; light: string }) =>
      `  · ${p.place} ${p.title} (${p.role}) ${p.light}`,
  },
  'prompts.preview.skipped': {
    'zh-CN': (p: { agency: string; reason: string }) => `${p.agency}：不发送（${p.reason}）`,
    'en-US': (p: { agency: string; reason: string }) => `${p.agency}: nothing to send (${p.reason})`,
  },
  'prompts.preview.forced': {
    'zh-CN': (p: { reasons: string }) => `  ！强制发送，已忽略：${p.reasons}`,
    'en-US': (p: { reasons: string }) => `  ! forced, set aside: ${p.reasons}`,
  },
  'prompts.preview.notices': {
    'zh-CN': (p: { count: number }) => `另有 ${p.count} 条通知发给督查室群`,
    'en-US': (p: { count: number }) =>
      `plus ${p.count} notice${p.count === 1 ? '' : 's'} to the coordinators' group`,
  },
  'prompts.result.header': {
    'zh-CN': (p: { cycle: string; queued: number }) => `${p.cycle}：已排入发送队列 ${p.queued} 张卡片`,
    'en-US': (p: { cycle: string; queued: number }) =>
      `${p.cycle}: ${p.queued} card${p.queued === 1 ? '' : 's'} queued`,
  },
  'prompts.result.delivery': {
    'zh-CN': (p: { sent: number; failed: number; pending: number }) =>
      `已送达 ${p.sent}，失败 ${p.failed}，待重试 ${p.pending}`,
    'en-US': (p: { sent: number; failed: number; pending: number }) =>
      `delivered ${p.sent}, failed ${p.failed}, waiting to retry ${p.pending}`,
  },
  'prompts.result.queuedOnly': {
    'zh-CN': '已写入发送队列，正在运行的督办机器人（npm start）会按飞书限速发送。',
    'en-US': 'Written to the outbox; the running bot (npm start) sends it at the Lark rate limits.',
  },
  'prompts.outbox.kind.prompt': { 'zh-CN': '督办提醒', 'en-US': 'prompt' },
  'prompts.outbox.kind.other': { 'zh-CN': '消息', 'en-US': 'message' },
  'prompts.outbox.reason.botRemoved': {
    'zh-CN': (p: { code: number }) =>
      `机器人已不在该单位的群中（飞书错误码 ${p.code}），请将机器人重新加入群聊。`,
    'en-US': (p: { code: number }) =>
      `the bot is no longer in the agency's group (Lark ${p.code}); add the bot back to the group.`,
  },
  'prompts.outbox.reason.chatDissolved': {
    'zh-CN': (p: { code: number }) => `该单位的群已解散（飞书错误码 ${p.code}），请重新绑定一个群。`,
    'en-US': (p: { code: number }) => `the agency's group was dissolved (Lark ${p.code}); bind a live group.`,
  },
  'prompts.outbox.reason.lark': {
    'zh-CN': (p: { code: number; msg: string }) => `飞书拒绝发送（错误码 ${p.code}：${p.msg}）`,
    'en-US': (p: { code: number; msg: string }) => `Lark refused to send it (code ${p.code}: ${p.msg})`,
  },
  'prompts.outbox.reason.other': {
    'zh-CN': (p: { attempts: number; error: string }) => `重试 ${p.attempts} 次仍失败（${p.error}）`,
    'en-US': (p: { attempts: number; error: string }) =>
      `still failing after ${p.attempts} attempts (${p.error})`,
  },
  'prompts.outbox.reason.deliveryUnknown': {
    'zh-CN':
      '首次发送已超过一小时仍未确认送达，为避免重复发送未再重发；请到该群中查看是否已收到，未收到请重新发送。',
    'en-US':
      'its first send was over an hour ago and was never confirmed, so it was not resent (a resend could arrive twice); check the group and send it again if it is missing.',
  },
  'prompts.outbox.noChat': {
    'zh-CN': (p: { agency: string }) =>
      `「${p.agency}」尚未绑定群聊，无法发送督办提醒。请在该单位的群中发送 /bind ${p.agency}。`,
    'en-US': (p: { agency: string }) =>
      `${p.agency} has no bound group, so it cannot be prompted. Send /bind ${p.agency} in its group.`,
  },

  // --- prompt jobs: follow-ups, escalation, due reminders, notices ---
  'cycleJobs.followUp.title': {
    'zh-CN': (p: { agency: string }) => `催办提醒 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Follow-up · ${p.agency}`,
  },
  'cycleJobs.followUp.body': {
    'zh-CN': (p: { cycle: string; count: number }) =>
      `${p.cycle} 的督办提醒尚未收到回复。以下 ${p.count} 项任务请在本周的督办提醒卡片中更新进展；没有变化的，点卡片上的「本周无变化」即可。`,
    'en-US': (p: { cycle: string; count: number }) =>
      `The prompt for ${p.cycle} has no answer yet. Please update the ${p.count} task${p.count === 1 ? '' : 's'} below on this week's prompt card; if nothing changed, tap "No change this cycle" there.`,
  },
  'cycleJobs.mention': {
    'zh-CN': (p: { openId: string }) => `<at id=${p.openId}></at> 请关注：`,
    'en-US': (p: { openId: string }) => `<at id=${p.openId}></at> please take a look:`,
  },
  'cycleJobs.task.line': {
    'zh-CN': (p: { article: number; title: string; role: string; due: string }) =>
      `- 第${p.article}条 ${p.title}（${p.role}，截止：${p.due}）`,
    'en-US': (p: { article: number; title: string; role: string; due: string }) =>
      `- Art. ${p.article} ${p.title} (${p.role}, due: ${p.due})`,
  },
  'cycleJobs.task.noDue': { 'zh-CN': '未设定', 'en-US': 'not set' },
  'cycleJobs.task.more': {
    'zh-CN': (p: { count: number }) => `……另有 ${p.count} 项`,
    'en-US': (p: { count: number }) => `… and ${p.count} more`,
  },
  'cycleJobs.trigger.overdue': {
    'zh-CN': (p: { days: number }) => `已逾期 ${p.days} 天`,
    'en-US': (p: { days: number }) => `overdue by ${p.days} day${p.days === 1 ? '' : 's'}`,
  },
  'cycleJobs.trigger.silent': { 'zh-CN': '催办后仍未报送', 'en-US': 'no report after the follow-up' },
  'cycleJobs.escalation.line': {
    'zh-CN': (p: { article: number; title: string; role: string; reasons: string }) =>
      `- 第${p.article}条 ${p.title}（${p.role}）：${p.reasons}`,
    'en-US': (p: { article: number; title: string; role: string; reasons: string }) =>
      `- Art. ${p.article} ${p.title} (${p.role}): ${p.reasons}`,
  },
  'cycleJobs.escalation.groupTitle': {
    'zh-CN': (p: { agency: string }) => `督办升级提醒 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Escalation · ${p.agency}`,
  },
  'cycleJobs.escalation.groupBody': {
    'zh-CN': (p: { count: number }) =>
      `以下 ${p.count} 项任务已逾期或经催办仍未报送进展，请尽快在督办提醒卡片中更新：`,
    'en-US': (p: { count: number }) =>
      `${p.count} task${p.count === 1 ? ' is' : 's are'} overdue or still unreported after the follow-up; please update them on the prompt card:`,
  },
  'cycleJobs.escalation.leadTitle': {
    'zh-CN': (p: { agency: string }) => `参与单位任务逾期 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `A participant's task is overdue · ${p.agency}`,
  },
  'cycleJobs.escalation.leadBody': {
    'zh-CN': (p: { agency: string; lead: string }) =>
      `「${p.lead}」牵头的以下事项中，参与单位「${p.agency}」的任务已逾期，请牵头单位协调推进：`,
    'en-US': (p: { agency: string; lead: string }) =>
      `In the work ${p.lead} leads, the tasks of participant ${p.agency} below are overdue; please coordinate:`,
  },
  'cycleJobs.escalation.coordinatorsTitle': {
    'zh-CN': (p: { agency: string }) => `督办升级 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Escalated to the coordinators · ${p.agency}`,
  },
  'cycleJobs.escalation.coordinatorsBody': {
    'zh-CN': (p: { agency: string; count: number }) =>
      `「${p.agency}」以下 ${p.count} 项任务经提醒和催办仍未反馈，请督查室跟进；如仍无回复，将列入领导周报：`,
    'en-US': (p: { agency: string; count: number }) =>
      `${p.agency} has not answered about the ${p.count} task${p.count === 1 ? '' : 's'} below despite the prompt and follow-ups; please follow up. Without a reply they go into the leaders' digest:`,
  },
  'cycleJobs.due.title': {
    'zh-CN': (p: { agency: string }) => `到期提醒 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Due soon · ${p.agency}`,
  },
  'cycleJobs.due.body': {
    'zh-CN': (p: { count: number }) => `以下 ${p.count} 项任务即将到期，请按时完成并在督办提醒卡片中报送：`,
    'en-US': (p: { count: number }) =>
      `${p.count} task${p.count === 1 ? ' is' : 's are'} due soon; please finish on time and report on the prompt card:`,
  },
  'cycleJobs.due.line': {
    'zh-CN': (p: { article: number; title: string; due: string; days: number }) =>
      `- 第${p.article}条 ${p.title}：${p.due} 到期（还有 ${p.days} 个工作日）`,
    'en-US': (p: { article: number; title: string; due: string; days: number }) =>
      `- Art. ${p.article} ${p.title}: due ${p.due} (${p.days} working day${p.days === 1 ? '' : 's'} left)`,
  },
  'cycleJobs.notice.calendar': {
    'zh-CN': (p: { year: number }) =>
      `节假日数据尚未包含 ${p.year} 年的安排，该年暂按周一至周五为工作日。请在国务院公布后，将放假和调休日期写入 config/schedule.json 的 calendar.extraHolidays 和 calendar.extraWorkdays。`,
    'en-US': (p: { year: number }) =>
      `The holiday data does not cover ${p.year} yet, so Monday to Friday count as working days. Once the State Council publishes the schedule, add its days off and make-up working days to calendar.extraHolidays and calendar.extraWorkdays in config/schedule.json.`,
  },
  // --- review: verification (销号/退回) and extensions (延期) ---------------------------------
  'review.verify.title': {
    'zh-CN': (p: { article: number; agency: string }) => `销号审核 · 第${p.article}条 · ${p.agency}`,
    'en-US': (p: { article: number; agency: string }) => `Verify · art. ${p.article} · ${p.agency}`,
  },
  'review.verify.body': {
    'zh-CN': (p: {
      article: number;
      title: string;
      agency: string;
      role: string;
      by: string;
      date: string;
    }) =>
      `**第${p.article}条 ${p.title}**\n${p.agency}（${p.role}）由 ${p.by} 于 ${p.date} 报告已完成，请审核：属实请点「销号」，未完成请填写原因后点「退回」。`,
    'en-US': (p: {
      article: number;
      title: string;
      agency: string;
      role: string;
      by: string;
      date: string;
    }) =>
      `**Art. ${p.article} ${p.title}**\n${p.agency} (${p.role}): reported done by ${p.by} at ${p.date}. Tap "Verify" if it is, or give a reason and tap "Return".`,
  },
  'review.verify.note': {
    'zh-CN': (p: { note: string }) => `进展说明：${p.note}`,
    'en-US': (p: { note: string }) => `Note: ${p.note}`,
  },
  'review.verify.evidence': {
    'zh-CN': (p: { url: string }) => `佐证材料：[${p.url}](${p.url})`,
    'en-US': (p: { url: string }) => `Evidence: [${p.url}](${p.url})`,
  },
  'review.verify.noEvidence': { 'zh-CN': '佐证材料：未提供', 'en-US': 'Evidence: none given' },
  'review.verify.button': { 'zh-CN': '销号', 'en-US': 'Verify' },
  'review.verify.confirmTitle': { 'zh-CN': '确认销号？', 'en-US': 'Verify this task?' },
  'review.verify.confirmText': {
    'zh-CN': '销号后任务关闭，不再催报。',
    'en-US': 'A verified task is closed and no longer prompted.',
  },
  'review.return.reason': { 'zh-CN': '退回原因（必填）', 'en-US': 'Reason for returning (required)' },
  'review.return.placeholder': {
    'zh-CN': '例如：佐证材料不全，请补充验收报告',
    'en-US': 'e.g. the evidence is incomplete; add the acceptance report',
  },
  'review.return.button': { 'zh-CN': '退回', 'en-US': 'Return' },
  'review.return.needsReason': {
    'zh-CN': '请填写退回原因后再点「退回」。',
    'en-US': 'Give a reason before tapping "Return".',
  },
  'review.verified': {
    'zh-CN': (p: { article: number; agency: string; by: string; date: string }) =>
      `✅ 第${p.article}条（${p.agency}）已由 ${p.by} 于 ${p.date} 销号。`,
    'en-US': (p: { article: number; agency: string; by: string; date: string }) =>
      `✅ Art. ${p.article} (${p.agency}) verified by ${p.by} at ${p.date}.`,
  },
  'review.returned': {
    'zh-CN': (p: { article: number; agency: string; by: string; date: string; reason: string }) =>
      `↩️ 第${p.article}条（${p.agency}）已由 ${p.by} 于 ${p.date} 退回，原因：${p.reason}`,
    'en-US': (p: { article: number; agency: string; by: string; date: string; reason: string }) =>
      `↩️ Art. ${p.article} (${p.agency}) returned by ${p.by} at ${p.date}. Reason: ${p.reason}`,
  },
  'review.notice.verified': {
    'zh-CN': (p: { article: number; title: string }) =>
      `✅ 第${p.article}条「${p.title}」已审核销号，该任务已关闭，不再催报。`,
    'en-US': (p: { article: number; title: string }) =>
      `✅ Art. ${p.article} "${p.title}" was verified and is closed; no more prompts about it.`,
  },
  'review.notice.returned': {
    'zh-CN': (p: { article: number; title: string; reason: string }) =>
      `↩️ 第${p.article}条「${p.title}」的完成报告被退回，任务恢复为进行中。退回原因：${p.reason}\n请按要求完善后，在督办提醒卡片上重新报送。`,
    'en-US': (p: { article: number; title: string; reason: string }) =>
      `↩️ The done report of art. ${p.article} "${p.title}" was returned; the task is in progress again. Reason: ${p.reason}\nPlease address it and report again on the prompt card.`,
  },
  'review.alreadyVerified': {
    'zh-CN': (p: { article: number }) => `第${p.article}条已经销号，无需重复操作。`,
    'en-US': (p: { article: number }) => `Art. ${p.article} is already verified.`,
  },
  'review.notAwaiting': {
    'zh-CN': (p: { article: number; status: string }) =>
      `第${p.article}条目前为「${p.status}」，不在待销号状态，本次操作未记录。`,
    'en-US': (p: { article: number; status: string }) =>
      `Art. ${p.article} is "${p.status}", not awaiting verification; nothing was recorded.`,
  },
  'review.notVerifier': {
    'zh-CN': '只有牵头单位的承办人或督查室工作人员可以审核参与单位的任务；牵头任务由督查室审核。',
    'en-US':
      "Only the lead agency's officials or a coordinator may verify a participant's task; a lead's task is verified by the coordinators.",
  },
  'extend.form.date': { 'zh-CN': '申请延期至（YYYY-MM-DD）', 'en-US': 'New due date (YYYY-MM-DD)' },
  'extend.form.reason': { 'zh-CN': '延期理由（必填）', 'en-US': 'Reason (required)' },
  'extend.form.submit': { 'zh-CN': '申请延期', 'en-US': 'Request extension' },
  'extend.badDate': {
    'zh-CN': '延期日期请写成 2027-03-31 或 2027年3月31日。',
    'en-US': 'Write the new date as 2027-03-31 or 2027年3月31日.',
  },
  'extend.notLater': {
    'zh-CN': (p: { due: string }) => `延期日期须晚于今天和现在的截止日期（${p.due}）。`,
    'en-US': (p: { due: string }) =>
      `The new date must be after today and after the current due date (${p.due}).`,
  },
  'extend.needsReason': { 'zh-CN': '请写明延期理由。', 'en-US': 'Give a reason for the extension.' },
  'extend.reasonTooLong': {
    'zh-CN': '延期理由请精简到 500 字以内。',
    'en-US': 'The reason is too long (500 characters at most).',
  },
  'extend.pending': {
    'zh-CN': (p: { article: number; date: string }) =>
      `第${p.article}条已有一项延期申请（至 ${p.date}）在等待督查室审批，请勿重复申请。`,
    'en-US': (p: { article: number; date: string }) =>
      `Art. ${p.article} already has an extension request (to ${p.date}) awaiting the coordinators.`,
  },
  'extend.requested': {
    'zh-CN': (p: { article: number; date: string }) =>
      `已提交第${p.article}条延期至 ${p.date} 的申请，督查室审批后会在本群通知。`,
    'en-US': (p: { article: number; date: string }) =>
      `Requested an extension of art. ${p.article} to ${p.date}; the coordinators' decision will be posted here.`,
  },
  'extend.forbidden': {
    'zh-CN': '只有本单位的承办人或督查室工作人员可以为这项任务申请延期。',
    'en-US': "Only this agency's officials or a coordinator can request an extension of this task.",
  },
  'extend.closed': {
    'zh-CN': (p: { article: number }) => `第${p.article}条已销号或已报完成，无需延期。`,
    'en-US': (p: { article: number }) =>
      `Art. ${p.article} is verified or reported done; no extension needed.`,
  },
  'extend.noTask': {
    'zh-CN': (p: { article: number }) => `本单位没有第${p.article}条的任务。`,
    'en-US': (p: { article: number }) => `This agency has no task under art. ${p.article}.`,
  },
  'extend.notAgencyGroup': {
    'zh-CN': '请在本单位绑定的工作群里申请延期。',
    'en-US': "Request an extension in the agency's own bound group.",
  },
  'extend.card.title': {
    'zh-CN': (p: { article: number; agency: string }) => `延期申请 · 第${p.article}条 · ${p.agency}`,
    'en-US': (p: { article: number; agency: string }) =>
      `Extension request · art. ${p.article} · ${p.agency}`,
  },
  'extend.card.body': {
    'zh-CN': (p: {
      article: number;
      title: string;
      agency: string;
      by: string;
      from: string;
      to: string;
      reason: string;
    }) =>
      `**第${p.article}条 ${p.title}**\n${p.agency} 的 ${p.by} 申请将截止日期由 ${p.from} 延至 **${p.to}**。\n理由：${p.reason}`,
    'en-US': (p: {
      article: number;
      title: string;
      agency: string;
      by: string;
      from: string;
      to: string;
      reason: string;
    }) =>
      `**Art. ${p.article} ${p.title}**\n${p.by} of ${p.agency} asks to move the due date from ${p.from} to **${p.to}**.\nReason: ${p.reason}`,
  },
  'extend.card.approve': { 'zh-CN': '批准', 'en-US': 'Approve' },
  'extend.card.reject': { 'zh-CN': '驳回', 'en-US': 'Reject' },
  'extend.approved': {
    'zh-CN': (p: { article: number; agency: string; to: string; by: string }) =>
      `✅ 已批准：第${p.article}条（${p.agency}）截止日期延至 ${p.to}（${p.by}）。`,
    'en-US': (p: { article: number; agency: string; to: string; by: string }) =>
      `✅ Approved: art. ${p.article} (${p.agency}) now due ${p.to} (${p.by}).`,
  },
  'extend.rejected': {
    'zh-CN': (p: { article: number; agency: string; to: string; by: string }) =>
      `❌ 已驳回：第${p.article}条（${p.agency}）延期至 ${p.to} 的申请（${p.by}）。`,
    'en-US': (p: { article: number; agency: string; to: string; by: string }) =>
      `❌ Rejected: the extension of art. ${p.article} (${p.agency}) to ${p.to} (${p.by}).`,
  },
  'extend.notice.approved': {
    'zh-CN': (p: { article: number; title: string; to: string }) =>
      `✅ 督查室已批准第${p.article}条「${p.title}」延期，新的截止日期为 ${p.to}。`,
    'en-US': (p: { article: number; title: string; to: string }) =>
      `✅ The coordinators approved the extension of art. ${p.article} "${p.title}"; it is now due ${p.to}.`,
  },
  'extend.notice.rejected': {
    'zh-CN': (p: { article: number; title: string; to: string; due: string }) =>
      `❌ 督查室未批准第${p.article}条「${p.title}」延期至 ${p.to} 的申请，截止日期仍为 ${p.due}。`,
    'en-US': (p: { article: number; title: string; to: string; due: string }) =>
      `❌ The coordinators did not approve moving art. ${p.article} "${p.title}" to ${p.to}; it is still due ${p.due}.`,
  },
  'extend.alreadyDecided': {
    'zh-CN': '这项延期申请已经处理过了。',
    'en-US': 'This extension request was already decided.',
  },
  'extend.noDue': { 'zh-CN': '未设截止', 'en-US': 'no due date' },
  'bot.cmd.extend.summary': {
    'zh-CN': '申请延期，由督查室审批',
    'en-US': 'request an extension, approved by the coordinators',
  },
  'bot.cmd.extend.usage': {
    'zh-CN': '/extend 条款号 日期 理由，例如 /extend 3 2027-03-31 资金尚未到位',
    'en-US': '/extend ARTICLE DATE reason, e.g. /extend 3 2027-03-31 funds not yet arrived',
  },
  'bot.cmd.extend.badArticle': {
    'zh-CN': '第一个参数是条款号，例如 3 或 第3条。',
    'en-US': 'The first argument is the article number, e.g. 3.',
  },
  // --- roll-up to the lead, silent participants, the readable audit trail (/history) -----------
  'rollup.line': {
    'zh-CN': (p: { list: string }) => `参与单位：${p.list}`,
    'en-US': (p: { list: string }) => `Participants: ${p.list}`,
  },
  'rollup.separator': { 'zh-CN': ' · ', 'en-US': ' · ' },
  'rollup.more': {
    'zh-CN': (p: { count: number }) => `等另 ${p.count} 家`,
    'en-US': (p: { count: number }) => `and ${p.count} more`,
  },
  'rollup.reported': {
    'zh-CN': (p: { agency: string; status: string; percent: number; date: string }) =>
      `${p.agency} ${p.status} ${p.percent}%（${p.date}）`,
    'en-US': (p: { agency: string; status: string; percent: number; date: string }) =>
      `${p.agency} ${p.status} ${p.percent}% (${p.date})`,
  },
  'rollup.silent': {
    'zh-CN': (p: { agency: string }) => `${p.agency} 未报送`,
    'en-US': (p: { agency: string }) => `${p.agency} not reported`,
  },
  'silent.title': {
    'zh-CN': (p: { agency: string }) => `参与单位未反馈 · ${p.agency}`,
    'en-US': (p: { agency: string }) => `Participants not answering · ${p.agency}`,
  },
  'silent.body': {
    'zh-CN': (p: { count: number }) =>
      `以下 ${p.count} 项由本单位牵头的任务，参与单位已连续两个周期未报送进展，请牵头单位督促：`,
    'en-US': (p: { count: number }) =>
      `${p.count} task${p.count === 1 ? '' : 's'} you lead: these participants have not reported for two cycles; please follow up with them:`,
  },
  'silent.line': {
    'zh-CN': (p: { article: number; title: string; agencies: string }) =>
      `- 第${p.article}条 ${p.title}：${p.agencies}`,
    'en-US': (p: { article: number; title: string; agencies: string }) =>
      `- Art. ${p.article} ${p.title}: ${p.agencies}`,
  },
  'silent.separator': { 'zh-CN': '、', 'en-US': ', ' },
  'history.title': {
    'zh-CN': (p: { place: string; title: string }) => `${p.place} ${p.title} · 变更记录`,
    'en-US': (p: { place: string; title: string }) => `${p.place} ${p.title} · history`,
  },
  'history.subtitle': {
    'zh-CN': (p: { count: number; agency: string | null }) =>
      `${p.agency === null ? '' : `${p.agency} · `}共 ${p.count} 条`,
    'en-US': (p: { count: number; agency: string | null }) =>
      `${p.agency === null ? '' : `${p.agency} · `}${p.count} event${p.count === 1 ? '' : 's'}`,
  },
  'history.page': {
    'zh-CN': (p: { page: number; pages: number }) => `第 ${p.page}/${p.pages} 页`,
    'en-US': (p: { page: number; pages: number }) => `page ${p.page}/${p.pages}`,
  },
  'history.empty': { 'zh-CN': '暂无变更记录。', 'en-US': 'Nothing recorded yet.' },
  'history.actor': {
    'zh-CN': (p: { name: string; agency: string | null }) =>
      p.agency === null ? p.name : `${p.name}（${p.agency}）`,
    'en-US': (p: { name: string; agency: string | null }) =>
      p.agency === null ? p.name : `${p.name} (${p.agency})`,
  },
  'history.line': {
    'zh-CN': (p: { when: string; who: string; via: string; what: string }) =>
      `${p.when} ${p.who}${p.via}${p.what}`,
    'en-US': (p: { when: string; who: string; via: string; what: string }) =>
      `${p.when} ${p.who} ${p.via}${p.what}`,
  },
  'history.via.card': { 'zh-CN': '通过卡片', 'en-US': 'on the card ' },
  'history.via.thread': { 'zh-CN': '通过群内回复', 'en-US': 'by a reply ' },
  'history.via.chat': { 'zh-CN': '在群中', 'en-US': 'in the group ' },
  'history.via.command': { 'zh-CN': '通过命令', 'en-US': 'by command ' },
  'history.via.cli': { 'zh-CN': '通过命令行', 'en-US': 'from the CLI ' },
  'history.via.system': { 'zh-CN': '由系统', 'en-US': 'by the system ' },
  'history.via.scheduler': { 'zh-CN': '由定时任务', 'en-US': 'by the schedule ' },
  'history.via.other': {
    'zh-CN': (p: { channel: string }) => `通过${p.channel}`,
    'en-US': (p: { channel: string }) => `via ${p.channel} `,
  },
  'history.who.system': { 'zh-CN': '系统', 'en-US': 'System' },
  'history.who.scheduler': { 'zh-CN': '定时任务', 'en-US': 'Scheduler' },
  'history.who.cli': { 'zh-CN': '命令行', 'en-US': 'CLI' },
  'history.what.reported': {
    'zh-CN': (p: { before: string; after: string }) => `报送：${p.before} → ${p.after}`,
    'en-US': (p: { before: string; after: string }) => `reported: ${p.before} → ${p.after}`,
  },
  'history.what.report_corrected': {
    'zh-CN': (p: { before: string; after: string }) => `更正报送：${p.before} → ${p.after}`,
    'en-US': (p: { before: string; after: string }) => `corrected the report: ${p.before} → ${p.after}`,
  },
  'history.what.no_change_confirmed': { 'zh-CN': '确认本周无变化', 'en-US': 'confirmed no change this week' },
  'history.what.created': { 'zh-CN': '导入任务', 'en-US': 'imported the task' },
  'history.what.updated': { 'zh-CN': '随文件修订更新', 'en-US': 'updated by a revised decision' },
  'history.what.removed': { 'zh-CN': '随文件修订移除', 'en-US': 'removed by a revised decision' },
  'history.what.other': {
    'zh-CN': (p: { action: string; change: string }) =>
      `${p.action}${p.change === '' ? '' : `：${p.change}`}`,
    'en-US': (p: { action: string; change: string }) =>
      `${p.action}${p.change === '' ? '' : `: ${p.change}`}`,
  },
  'history.note': {
    'zh-CN': (p: { note: string }) => `（说明：${p.note}）`,
    'en-US': (p: { note: string }) => ` (note: ${p.note})`,
  },
  'history.notFound': {
    'zh-CN': (p: { place: string }) => `没有${p.place}。`,
    'en-US': (p: { place: string }) => `There is no ${p.place}.`,
  },
  'bot.cmd.history.summary': { 'zh-CN': '查看某条任务的变更记录', 'en-US': "Show an article's history" },
  'bot.cmd.history.usage': {
    'zh-CN': '/history 条号 [单位]，例如 /history 13、/history 13 市财政局，领导批示写 /history 批示1',
    'en-US': "/history ARTICLE [AGENCY], e.g. /history 13; a leader's instruction: /history 批示1",
  },
  'bot.cmd.history.badArticle': {
    'zh-CN': '请写条号，例如 13 或 第13条；领导批示写 批示1。',
    'en-US': "Give an article number, e.g. 13; a leader's instruction as 批示1.",
  },
  'bot.cmd.history.notHere': {
    'zh-CN': '请在本单位已绑定的群里查看本单位任务的记录；督查室和领导可查看全部。',
    'en-US': "Ask in your agency's bound group for its own tasks; coordinators and leaders may see any.",
  },
  'bot.cmd.history.unknownAgency': {
    'zh-CN': (p: { agency: string }) => `没有找到单位「${p.agency}」。`,
    'en-US': (p: { agency: string }) => `No agency called "${p.agency}".`,
  },
  'bot.cmd.history.otherAgency': {
    'zh-CN': '本群只能查看本单位任务的记录。',
    'en-US': "This group can only see its own agency's history.",
  },
  // --- coordinators' commands (/tasks, /article, /due, /assign, /unassign, /unbind, /remind, /pause, /resume)
  'bot.error.unknownCommandSuggest': {
    'zh-CN': (p: { name: string; suggestion: string }) =>
      `没有「/${p.name}」这个命令。您是不是要用 /${p.suggestion}？发送 /help 查看可用命令。`,
    'en-US': (p: { name: string; suggestion: string }) =>
      `There is no /${p.name} command. Did you mean /${p.suggestion}? Send /help to see the commands.`,
  },
  'bot.error.forbiddenRoles': {
    'zh-CN': (p: { name: string; roles: string }) => `「/${p.name}」仅限${p.roles}使用。`,
    'en-US': (p: { name: string; roles: string }) => `/${p.name} is for ${p.roles} only.`,
  },
  'bot.role.coordinator': { 'zh-CN': '督查室工作人员', 'en-US': 'coordinators' },
  'bot.role.leader': { 'zh-CN': '领导', 'en-US': 'leaders' },
  'bot.role.official': { 'zh-CN': '责任单位联络员', 'en-US': 'agency officials' },
  'bot.role.orSeparator': { 'zh-CN': '、', 'en-US': ', ' },
  'bot.help.private': {
    'zh-CN': '这是与督办助手的私聊。命令请在群里 @督办 发送：',
    'en-US': 'This is a private chat with Duban. Send commands in a group, mentioning @Duban:',
  },
  'bot.help.whereCoordinator': {
    'zh-CN': '您是督查室工作人员：可在督查室群或您所在的任何群使用下列命令。',
    'en-US':
      'You are a coordinator: use the commands below in the coordinators’ group or any group you are in.',
  },
  'bot.help.whereLeader': {
    'zh-CN': '您是领导：可在领导群查看全部任务（/tasks、/article）。',
    'en-US': 'You are a leader: in the leaders’ group you can see every task (/tasks, /article).',
  },
  'bot.help.whereOfficial': {
    'zh-CN': (p: { agencies: string }) =>
      `您是「${p.agencies}」的联络员：在本单位的群里报送进展、查看本单位任务。`,
    'en-US': (p: { agencies: string }) =>
      `You are an official of "${p.agencies}": report progress and see your tasks in your agency's group.`,
  },
  'bot.help.whereNobody': {
    'zh-CN': '您目前没有督办角色。单位联络员、督查室工作人员和领导由所在的群确定；如有疑问请联系督查室。',
    'en-US':
      'You hold no Duban role yet. Officials, coordinators and leaders are known by the groups they are in; ask the coordinators.',
  },
  'bot.cmd.tasks.summary': {
    'zh-CN': '查看任务及红黄绿灯（可按单位、条目、逾期、红灯、黄灯筛选）',
    'en-US': 'list tasks with their lights (by agency, article, overdue, red, yellow)',
  },
  'bot.cmd.tasks.usage': {
    'zh-CN': '/tasks [单位|条目号|overdue|red|yellow] [p页码]，例如 /tasks 市科技局；/tasks red p2',
    'en-US': '/tasks [AGENCY|ARTICLE|overdue|red|yellow] [pN], e.g. /tasks 市科技局; /tasks red p2',
  },
  'bot.cmd.article.summary': { 'zh-CN': '查看某一条的全部任务', 'en-US': 'show every task of one article' },
  'bot.cmd.article.usage': {
    'zh-CN': '/article 条目号，例如 /article 3',
    'en-US': '/article N, e.g. /article 3',
  },
  'bot.cmd.due.summary': {
    'zh-CN': '设定某条任务（或其中一个单位）的截止日期',
    'en-US': "set the due date of an article's tasks (or one agency's)",
  },
  'bot.cmd.due.usage': {
    'zh-CN': '/due 条目号 [单位] 日期，例如 /due 3 2026-12-31；/due 3 市科技局 2026-12-31',
    'en-US': '/due ARTICLE [AGENCY] DATE, e.g. /due 3 2026-12-31; /due 3 市科技局 2026-12-31',
  },
  'bot.cmd.assign.summary': {
    'zh-CN': '把某条任务交给一个单位（牵头或参与）',
    'en-US': 'give an agency a task on an article (lead or participant)',
  },
  'bot.cmd.assign.usage': {
    'zh-CN': '/assign 条目号 单位 lead|participant（或 牵头|参与），例如 /assign 3 市科技局 牵头',
    'en-US': '/assign ARTICLE AGENCY lead|participant, e.g. /assign 3 市科技局 lead',
  },
  'bot.cmd.unassign.summary': {
    'zh-CN': '取消某单位在某条的任务',
    'en-US': "take an article's task away from an agency",
  },
  'bot.cmd.unassign.usage': {
    'zh-CN': '/unassign 条目号 单位，例如 /unassign 3 市科技局',
    'en-US': '/unassign ARTICLE AGENCY, e.g. /unassign 3 市科技局',
  },
  'bot.cmd.unbind.summary': { 'zh-CN': '解除本群的绑定', 'en-US': "end this group's binding" },
  'bot.cmd.unbind.usage': { 'zh-CN': '/unbind', 'en-US': '/unbind' },
  'bot.cmd.remind.summary': {
    'zh-CN': '立即发送本周期的督办提醒（--force 忽略暂停、额度与非工作日）',
    'en-US': "send this cycle's prompts now (--force sets aside pauses, budget and days off)",
  },
  'bot.cmd.remind.usage': {
    'zh-CN': '/remind [单位|all] [--force]，例如 /remind 市科技局；/remind all',
    'en-US': '/remind [AGENCY|all] [--force], e.g. /remind 市科技局; /remind all',
  },
  'bot.cmd.pause.summary': {
    'zh-CN': '暂停提醒（某单位或全部）',
    'en-US': 'pause prompts (one agency or all)',
  },
  'bot.cmd.pause.usage': {
    'zh-CN': '/pause [单位|all] [until 日期]，例如 /pause 市科技局 until 2026-10-08',
    'en-US': '/pause [AGENCY|all] [until DATE], e.g. /pause 市科技局 until 2026-10-08',
  },
  'bot.cmd.resume.summary': {
    'zh-CN': '恢复提醒（某单位或全部）',
    'en-US': 'resume prompts (one agency or all)',
  },
  'bot.cmd.resume.usage': {
    'zh-CN': '/resume [单位|all]，例如 /resume 市科技局；/resume all',
    'en-US': '/resume [AGENCY|all], e.g. /resume 市科技局; /resume all',
  },
  'coord.arg.articleNumber': {
    'zh-CN': (p: { value: string }) => `「${p.value}」不是条目号，请写数字，如 3。`,
    'en-US': (p: { value: string }) => `"${p.value}" is not an article number; write a number such as 3.`,
  },
  'coord.arg.articleMissing': { 'zh-CN': '请写明条目号。', 'en-US': 'Give the article number.' },
  'coord.arg.date': {
    'zh-CN': (p: { value: string }) => `「${p.value}」不是日期，请写成 2026-12-31。`,
    'en-US': (p: { value: string }) => `"${p.value}" is not a date; write it as 2026-12-31.`,
  },
  'coord.arg.dateMissing': {
    'zh-CN': '请写明日期，如 2026-12-31。',
    'en-US': 'Give the date, e.g. 2026-12-31.',
  },
  'coord.arg.agencyMissing': { 'zh-CN': '请写明单位名称。', 'en-US': 'Name the agency.' },
  'coord.arg.role': {
    'zh-CN': (p: { value: string }) => `「${p.value}」不是角色，请写 lead（牵头）或 participant（参与）。`,
    'en-US': (p: { value: string }) => `"${p.value}" is not a role; write lead or participant.`,
  },
  'coord.arg.tooMany': {
    'zh-CN': (p: { extra: string }) => `多余的内容：「${p.extra}」。`,
    'en-US': (p: { extra: string }) => `Unexpected: "${p.extra}".`,
  },
  'coord.arg.page': {
    'zh-CN': (p: { value: string }) => `「${p.value}」不是页码，请写 p2 这样的形式。`,
    'en-US': (p: { value: string }) => `"${p.value}" is not a page; write it like p2.`,
  },
  'coord.unknownAgency': {
    'zh-CN': (p: { name: string; suggestion: string | null }) =>
      `没有找到单位「${p.name}」。${p.suggestion ? `您是不是要找「${p.suggestion}」？` : '请检查名称。'}`,
    'en-US': (p: { name: string; suggestion: string | null }) =>
      `No agency named "${p.name}".${p.suggestion ? ` Did you mean "${p.suggestion}"?` : ' Check the name.'}`,
  },
  'coord.unknownArticle': {
    'zh-CN': (p: { article: number }) => `没有第${p.article}条。`,
    'en-US': (p: { article: number }) => `There is no article ${p.article}.`,
  },
  'coord.collective': {
    'zh-CN': (p: { name: string }) => `「${p.name}」是集合称谓，请写具体单位。`,
    'en-US': (p: { name: string }) => `"${p.name}" is a collective name; name a specific agency.`,
  },
  'coord.dueDone': {
    'zh-CN': (p: { article: number; agency: string | null; date: string; count: number }) =>
      `已将第${p.article}条${p.agency ? `「${p.agency}」` : ''}的 ${p.count} 项任务截止日期设为 ${p.date}。`,
    'en-US': (p: { article: number; agency: string | null; date: string; count: number }) =>
      `Due date of ${p.count} task(s) of article ${p.article}${p.agency ? ` for "${p.agency}"` : ''} set to ${p.date}.`,
  },
  'coord.dueUnchanged': {
    'zh-CN': (p: { article: number; date: string }) => `第${p.article}条的截止日期已是 ${p.date}，无需更改。`,
    'en-US': (p: { article: number; date: string }) =>
      `Article ${p.article} is already due ${p.date}; nothing changed.`,
  },
  'coord.noTasksFor': {
    'zh-CN': (p: { article: number; agency: string }) => `「${p.agency}」在第${p.article}条没有任务。`,
    'en-US': (p: { article: number; agency: string }) => `"${p.agency}" has no task on article ${p.article}.`,
  },
  'coord.duePast': {
    'zh-CN': (p: { date: string; today: string }) =>
      `${p.date} 早于今天（${p.today}），请给出今天或以后的日期。`,
    'en-US': (p: { date: string; today: string }) =>
      `${p.date} is before today (${p.today}); give today or a later day.`,
  },
  'coord.assign.created': {
    'zh-CN': (p: { article: number; agency: string; role: string }) =>
      `已将第${p.article}条交给「${p.agency}」（${p.role}）。`,
    'en-US': (p: { article: number; agency: string; role: string }) =>
      `Article ${p.article} given to "${p.agency}" (${p.role}).`,
  },
  'coord.assign.roleChanged': {
    'zh-CN': (p: { article: number; agency: string; role: string }) =>
      `「${p.agency}」在第${p.article}条的角色已改为${p.role}。`,
    'en-US': (p: { article: number; agency: string; role: string }) =>
      `"${p.agency}" is now ${p.role} on article ${p.article}.`,
  },
  'coord.assign.unchanged': {
    'zh-CN': (p: { article: number; agency: string; role: string }) =>
      `「${p.agency}」已是第${p.article}条的${p.role}单位，无需更改。`,
    'en-US': (p: { article: number; agency: string; role: string }) =>
      `"${p.agency}" is already ${p.role} on article ${p.article}; nothing changed.`,
  },
  'coord.unassign.done': {
    'zh-CN': (p: { article: number; agency: string }) => `已取消「${p.agency}」在第${p.article}条的任务。`,
    'en-US': (p: { article: number; agency: string }) =>
      `"${p.agency}" no longer has a task on article ${p.article}.`,
  },
  'coord.unbind.agency': {
    'zh-CN': (p: { agency: string }) =>
      `已解除本群与「${p.agency}」的绑定；群成员的联络员身份随之结束，该单位在重新绑定前收不到提醒。`,
    'en-US': (p: { agency: string }) =>
      `This group is no longer bound to "${p.agency}"; its members' official role ends, and the agency gets no prompts until a group is bound.`,
  },
  'coord.unbind.special': {
    'zh-CN': (p: { role: string }) => `本群已不再是「${p.role}」；群成员由此获得的身份随之结束。`,
    'en-US': (p: { role: string }) =>
      `This group is no longer the "${p.role}"; the role its members held through it ends.`,
  },
  'coord.unbind.none': {
    'zh-CN': '本群没有绑定，无需解除。',
    'en-US': 'This group is not bound; nothing to undo.',
  },
  // --- operations: duban backup / duban restore ---
  'ops.backup.done': {
    'zh-CN': (p: { path: string; size: string }) => `已备份数据库到 ${p.path}（${p.size}）。`,
    'en-US': (p: { path: string; size: string }) => `Backed up the database to ${p.path} (${p.size}).`,
  },
  'ops.restore.done': {
    'zh-CN': (p: { path: string; source: string }) =>
      `已用 ${p.source} 恢复数据库 ${p.path}。下次启动时会自动升级到当前版本的数据结构。`,
    'en-US': (p: { path: string; source: string }) =>
      `Restored ${p.path} from ${p.source}. The next start brings it up to this version's schema.`,
  },
  'ops.restore.previous': {
    'zh-CN': (p: { path: string }) => `原数据库已保留为 ${p.path}。`,
    'en-US': (p: { path: string }) => `The database it replaced is kept as ${p.path}.`,
  },
  'coord.remind.sent': {
    'zh-CN': '已写入发送队列，正在按飞书限速发送。',
    'en-US': 'Written to the outbox; sending at the Lark rate limits.',
  },
  'coord.remind.nothing': { 'zh-CN': '没有需要发送的提醒。', 'en-US': 'No prompts to send.' },
  'coord.target.missing': {
    'zh-CN': '请写明单位名称，或写 all 表示全部单位。',
    'en-US': 'Name the agency, or write all for every agency.',
  },
  'coord.board.title': {
    'zh-CN': (p: { scope: string }) => `督办任务 · ${p.scope}`,
    'en-US': (p: { scope: string }) => `Tasks · ${p.scope}`,
  },
  'coord.board.scope.all': { 'zh-CN': '全部', 'en-US': 'all' },
  'coord.board.scope.mine': { 'zh-CN': '本单位', 'en-US': 'my agency' },
  'coord.board.scope.article': {
    'zh-CN': (p: { article: number }) => `第${p.article}条`,
    'en-US': (p: { article: number }) => `article ${p.article}`,
  },
  'coord.board.scope.overdue': { 'zh-CN': '逾期', 'en-US': 'overdue' },
  'coord.board.scope.red': { 'zh-CN': '红灯', 'en-US': 'red' },
  'coord.board.scope.yellow': { 'zh-CN': '黄灯', 'en-US': 'yellow' },
  'coord.board.summary': {
    'zh-CN': (p: { total: number; red: number; yellow: number; green: number }) =>
      `共 ${p.total} 项：红灯 ${p.red}，黄灯 ${p.yellow}，绿灯 ${p.green}`,
    'en-US': (p: { total: number; red: number; yellow: number; green: number }) =>
      `${p.total} task(s): ${p.red} red, ${p.yellow} yellow, ${p.green} green`,
  },
  'coord.board.empty': { 'zh-CN': '没有符合条件的任务。', 'en-US': 'No tasks match.' },
  'coord.board.page': {
    'zh-CN': (p: { page: number; pages: number; next: string | null }) =>
      `第 ${p.page}/${p.pages} 页${p.next ? `，下一页请发送 \`${p.next}\`` : ''}`,
    'en-US': (p: { page: number; pages: number; next: string | null }) =>
      `Page ${p.page} of ${p.pages}${p.next ? `; for the next, send \`${p.next}\`` : ''}`,
  },
  'coord.board.pageOutOfRange': {
    'zh-CN': (p: { page: number; pages: number }) => `没有第 ${p.page} 页（共 ${p.pages} 页）。`,
    'en-US': (p: { page: number; pages: number }) => `There is no page ${p.page} (${p.pages} in all).`,
  },
  'coord.board.task': {
    'zh-CN': (p: {
      place: string;
      title: string;
      agency: string;
      role: string;
      status: string;
      percent: number;
      due: string;
    }) => `**${p.place}** ${p.title}\n${p.agency}（${p.role}）· ${p.status} ${p.percent}% · ${p.due}`,
    'en-US': (p: {
      place: string;
      title: string;
      agency: string;
      role: string;
      status: string;
      percent: number;
      due: string;
    }) => `**${p.place}** ${p.title}\n${p.agency} (${p.role}) · ${p.status} ${p.percent}% · ${p.due}`,
  },
  'coord.board.due': {
    'zh-CN': (p: { date: string }) => `截止 ${p.date}`,
    'en-US': (p: { date: string }) => `due ${p.date}`,
  },
  'coord.board.noDue': { 'zh-CN': '未设截止', 'en-US': 'no due date' },
  'coord.board.unassigned': {
    'zh-CN': (p: { name: string }) => `${p.name}（未对应单位）`,
    'en-US': (p: { name: string }) => `${p.name} (no agency)`,
  },
  'coord.board.light': {
    'zh-CN': (p: { name: string; reason: string }) => `${p.name}：${p.reason}`,
    'en-US': (p: { name: string; reason: string }) => `${p.name}: ${p.reason}`,
  },
  'coord.board.note': {
    'zh-CN': (p: { note: string }) => `最近进展：${p.note}`,
    'en-US': (p: { note: string }) => `Latest: ${p.note}`,
  },
  'cli.tasks.header.article': { 'zh-CN': '条', 'en-US': 'Art.' },
  'cli.tasks.header.title': { 'zh-CN': '任务', 'en-US': 'Title' },
  'cli.tasks.header.agency': { 'zh-CN': '责任单位', 'en-US': 'Agency' },
  'cli.tasks.header.role': { 'zh-CN': '角色', 'en-US': 'Role' },
  'cli.tasks.header.status': { 'zh-CN': '状态', 'en-US': 'Status' },
  'cli.tasks.header.percent': { 'zh-CN': '进度', 'en-US': '%' },
  'cli.tasks.header.due': { 'zh-CN': '截止', 'en-US': 'Due' },
  'cli.tasks.header.light': { 'zh-CN': '序时进度', 'en-US': 'Light' },
  'cli.tasks.header.note': { 'zh-CN': '最近进展', 'en-US': 'Latest note' },
  'cli.tasks.count': {
    'zh-CN': (p: { count: number }) => `共 ${p.count} 项任务`,
    'en-US': (p: { count: number }) => `${p.count} task(s)`,
  },
  'cli.tasks.none': {
    'zh-CN': '没有任务。请先导入决定：duban import 文件',
    'en-US': 'No tasks. Import a decision first: duban import FILE',
  },

  // --- the leaders' weekly digest (/digest and the leadersDigest job) --------------------------
  'digest.title': {
    'zh-CN': (p: { cycle: string }) => `督办周报 · ${p.cycle}`,
    'en-US': (p: { cycle: string }) => `Weekly digest · ${p.cycle}`,
  },
  'digest.summary': {
    'zh-CN': (p: { date: string; total: number; red: number; yellow: number; green: number; done: number }) =>
      `截至 ${p.date}，共 ${p.total} 项任务：🔴 红灯 ${p.red}，🟡 黄灯 ${p.yellow}，🟢 绿灯 ${p.green}；已完成 ${p.done} 项。`,
    'en-US': (p: { date: string; total: number; red: number; yellow: number; green: number; done: number }) =>
      `As of ${p.date}, ${p.total} task(s): 🔴 ${p.red} red, 🟡 ${p.yellow} yellow, 🟢 ${p.green} green; ${p.done} done.`,
  },
  'digest.nothingUrgent': {
    'zh-CN': '本周没有需要领导关注的事项。',
    'en-US': 'Nothing needs the leaders this week.',
  },
  'digest.section.red': {
    'zh-CN': (p: { count: number }) => `**🔴 红灯（${p.count}）**`,
    'en-US': (p: { count: number }) => `**🔴 Red (${p.count})**`,
  },
  'digest.section.yellow': {
    'zh-CN': (p: { count: number }) => `**🟡 黄灯（${p.count}）**`,
    'en-US': (p: { count: number }) => `**🟡 Yellow (${p.count})**`,
  },
  'digest.section.blockers': {
    'zh-CN': (p: { count: number }) => `**⛔ 本周新增受阻（${p.count}）**`,
    'en-US': (p: { count: number }) => `**⛔ New blockers this week (${p.count})**`,
  },
  'digest.section.coordination': {
    'zh-CN': (p: { count: number }) => `**🤝 需跨单位协调（${p.count}）**`,
    'en-US': (p: { count: number }) => `**🤝 Needs coordination between agencies (${p.count})**`,
  },
  'digest.section.extensions': {
    'zh-CN': (p: { count: number }) => `**⏳ 待审批延期申请（${p.count}）**`,
    'en-US': (p: { count: number }) => `**⏳ Pending extension requests (${p.count})**`,
  },
  'digest.section.returned': {
    'zh-CN': (p: { count: number }) => `**↩️ 本周退回（${p.count}）**`,
    'en-US': (p: { count: number }) => `**↩️ Returned this week (${p.count})**`,
  },
  'digest.section.noDue': {
    'zh-CN': (p: { count: number }) => `**📅 未设截止，待督办组用 /due 明确（${p.count}）**`,
    'en-US': (p: { count: number }) => `**📅 No due date: coordinators to set one with /due (${p.count})**`,
  },
  'digest.section.parts': { 'zh-CN': '**分部分进度**', 'en-US': '**Progress by part**' },
  'digest.section.targets': {
    'zh-CN': (p: { count: number }) => `**🎯 量化指标（${p.count}）**`,
    'en-US': (p: { count: number }) => `**🎯 Quantitative targets (${p.count})**`,
  },
  'digest.section.scores': {
    'zh-CN': (p: { period: string }) => `**🏅 单位考评得分（${p.period}）**`,
    'en-US': (p: { period: string }) => `**🏅 Agencies' scores (${p.period})**`,
  },
  'digest.task': {
    'zh-CN': (p: { place: string; title: string; agency: string; role: string }) =>
      `${p.place} ${p.title} · ${p.agency}（${p.role}）`,
    'en-US': (p: { place: string; title: string; agency: string; role: string }) =>
      `${p.place} ${p.title} · ${p.agency} (${p.role})`,
  },
  'digest.lightItem': {
    'zh-CN': (p: { task: string; reason: string }) => `- ${p.task}：${p.reason}`,
    'en-US': (p: { task: string; reason: string }) => `- ${p.task}: ${p.reason}`,
  },
  'digest.blockerItem': {
    'zh-CN': (p: { task: string; reason: string; named: string }) =>
      `- ${p.task}：${p.reason}${p.named ? `（涉及：${p.named}）` : ''}`,
    'en-US': (p: { task: string; reason: string; named: string }) =>
      `- ${p.task}: ${p.reason}${p.named ? ` (names: ${p.named})` : ''}`,
  },
  'digest.blockerNoReason': { 'zh-CN': '未说明原因', 'en-US': 'no reason given' },
  'digest.coordinationItem': {
    'zh-CN': (p: { place: string; title: string; agencies: string; cause: string }) =>
      `- ${p.place} ${p.title}：${p.agencies}（${p.cause}）`,
    'en-US': (p: { place: string; title: string; agencies: string; cause: string }) =>
      `- ${p.place} ${p.title}: ${p.agencies} (${p.cause})`,
  },
  'digest.cause.blocker': { 'zh-CN': '受阻原因涉及其他单位', 'en-US': 'a blocker names other agencies' },
  'digest.cause.lead': {
    'zh-CN': '牵头单位已完成，配合单位逾期',
    'en-US': 'the lead is done, participants are overdue',
  },
  'digest.extensionItem': {
    'zh-CN': (p: { task: string; from: string; to: string; reason: string }) =>
      `- ${p.task}：${p.from} → ${p.to}，理由：${p.reason}`,
    'en-US': (p: { task: string; from: string; to: string; reason: string }) =>
      `- ${p.task}: ${p.from} → ${p.to}, because: ${p.reason}`,
  },
  'digest.returnedItem': {
    'zh-CN': (p: { task: string; date: string; reason: string | null }) =>
      `- ${p.task}：${p.date} 退回${p.reason ? `，原因：${p.reason}` : ''}`,
    'en-US': (p: { task: string; date: string; reason: string | null }) =>
      `- ${p.task}: returned ${p.date}${p.reason ? `, because: ${p.reason}` : ''}`,
  },
  'digest.noDueItem': {
    'zh-CN': (p: { task: string }) => `- ${p.task}`,
    'en-US': (p: { task: string }) => `- ${p.task}`,
  },
  'digest.noDueHint': {
    'zh-CN': '设定截止：`/due 条号 [单位] 日期`',
    'en-US': 'Set one with `/due ARTICLE [AGENCY] DATE`',
  },
  'digest.partItem': {
    'zh-CN': (p: {
      label: string;
      title: string;
      percent: number;
      done: number;
      tasks: number;
      red: number;
      yellow: number;
    }) =>
      `- ${p.label}${p.title}：平均进度 ${p.percent}%，完成 ${p.done}/${p.tasks}，🔴 ${p.red} 🟡 ${p.yellow}`,
    'en-US': (p: {
      label: string;
      title: string;
      percent: number;
      done: number;
      tasks: number;
      red: number;
      yellow: number;
    }) =>
      `- ${p.label} ${p.title}: ${p.percent}% on average, ${p.done}/${p.tasks} done, 🔴 ${p.red} 🟡 ${p.yellow}`,
  },
  'digest.targetItem': {
    'zh-CN': (p: { article: number; target: string; percent: number; done: number; tasks: number }) =>
      `- 第${p.article}条 目标 ${p.target}：已报进度 ${p.percent}%，完成 ${p.done}/${p.tasks}`,
    'en-US': (p: { article: number; target: string; percent: number; done: number; tasks: number }) =>
      `- Art. ${p.article} target ${p.target}: reported ${p.percent}%, ${p.done}/${p.tasks} done`,
  },
  'digest.targetBy': {
    'zh-CN': (p: { year: number }) => `（${p.year}年）`,
    'en-US': (p: { year: number }) => ` (by ${p.year})`,
  },
  'digest.scoreItem': {
    'zh-CN': (p: { rank: number; agency: string; total: number; change: string }) =>
      `${p.rank}. ${p.agency}：${p.total} 分${p.change}`,
    'en-US': (p: { rank: number; agency: string; total: number; change: string }) =>
      `${p.rank}. ${p.agency}: ${p.total}${p.change}`,
  },
  'digest.scoreChange': {
    'zh-CN': (p: { change: string }) => `（较上期 ${p.change}）`,
    'en-US': (p: { change: string }) => ` (${p.change} on the last period)`,
  },
  'digest.more': {
    'zh-CN': (p: { count: number; command: string }) => `… 另有 ${p.count} 项，发送 ${p.command} 查看`,
    'en-US': (p: { count: number; command: string }) => `… ${p.count} more; send ${p.command} to see them`,
  },
  'digest.chartTitle': { 'zh-CN': '各部分平均进度（%）', 'en-US': 'Average progress by part (%)' },
  'digest.footer': {
    'zh-CN': '只统计结果与时限，不统计消息数量、登录或回复速度。',
    'en-US': 'Counts results and deadlines only: never messages, log-ins or reply speed.',
  },
  'digest.sent': {
    'zh-CN': '以下为本周领导周报预览（尚未发送至领导群）。',
    'en-US': "A preview of this week's leaders' digest (not sent to the leaders' group).",
  },
  'digest.noLeadersChat': {
    'zh-CN': '尚未绑定领导群，周报未发送。请在领导群中发送 /bind 领导。',
    'en-US': "No leaders' group is bound, so the digest was not sent. Send /bind 领导 in the leaders' group.",
  },
  'digest.command.summary': {
    'zh-CN': '预览本周领导周报（仅限督办组群）',
    'en-US': "Preview this week's leaders' digest (coordinators' group only)",
  },
  'digest.command.usage': { 'zh-CN': '/digest', 'en-US': '/digest' },
  'digest.command.onlyCoordinatorsChat': {
    'zh-CN': '/digest 只能在督办组群中使用：领导周报的预览只发给督办组。',
    'en-US': "/digest works only in the coordinators' group: the preview is for coordinators.",
  },

  // --- leaders' instructions (批示) from the digest's thread ------------------------------------
  'instruction.whichAgency': {
    'zh-CN':
      '已收到批示，但未能识别责任单位。请在本话题中回复并写明单位，例如：“请市科技局牵头，市财政局配合”。',
    'en-US':
      'Instruction received, but no responsible agency was recognised. Reply in this thread naming the agencies, e.g. "市科技局 to lead, 市财政局 to help".',
  },
  'instruction.forbidden': {
    'zh-CN': '只有领导的回复会记录为批示。',
    'en-US': "Only leaders' replies are recorded as instructions.",
  },
  'instruction.recorded': {
    'zh-CN': (p: { agencies: string }) => `批示已记录，涉及：${p.agencies}。督办组确认后立项跟踪。`,
    'en-US': (p: { agencies: string }) =>
      `Instruction recorded, for: ${p.agencies}. It becomes tracked work once a coordinator confirms it.`,
  },
  'instruction.alreadyRecorded': {
    'zh-CN': '这条批示已经记录过了。',
    'en-US': 'This instruction was already recorded.',
  },
  'instruction.card.title': {
    'zh-CN': (p: { leader: string }) => `领导批示 · ${p.leader}`,
    'en-US': (p: { leader: string }) => `Leader's instruction · ${p.leader}`,
  },
  'instruction.card.text': {
    'zh-CN': (p: { text: string }) => `**批示内容：**${p.text}`,
    'en-US': (p: { text: string }) => `**Instruction:** ${p.text}`,
  },
  'instruction.card.agencies': {
    'zh-CN': (p: { lead: string; others: string }) =>
      `**责任单位：**${p.lead}（牵头）${p.others ? `、${p.others}（配合）` : ''}`,
    'en-US': (p: { lead: string; others: string }) =>
      `**Agencies:** ${p.lead} (lead)${p.others ? `, ${p.others} (participants)` : ''}`,
  },
  'instruction.card.article': {
    'zh-CN': (p: { article: number; title: string }) => `**涉及条目：**第${p.article}条 ${p.title}`,
    'en-US': (p: { article: number; title: string }) => `**Article:** art. ${p.article} ${p.title}`,
  },
  'instruction.card.noArticle': {
    'zh-CN': (p: { document: string }) => `**立项位置：**${p.document}`,
    'en-US': (p: { document: string }) => `**Tracked under:** ${p.document}`,
  },
  'instruction.card.due': {
    'zh-CN': (p: { date: string }) => `**完成时限：**${p.date}`,
    'en-US': (p: { date: string }) => `**Due:** ${p.date}`,
  },
  'instruction.card.noDue': {
    'zh-CN': '**完成时限：**未写明（立项后可用 /due 设定）',
    'en-US': '**Due:** not stated (set it with /due once tracked)',
  },
  'instruction.card.confirm': { 'zh-CN': '确认立项', 'en-US': 'Confirm' },
  'instruction.card.reject': { 'zh-CN': '驳回', 'en-US': 'Reject' },
  'instruction.card.reason': { 'zh-CN': '驳回理由', 'en-US': 'Reason for rejecting' },
  'instruction.card.reasonPlaceholder': {
    'zh-CN': '告诉领导为何不立项（必填）',
    'en-US': 'Tell the leader why it is not taken up (required)',
  },
  'instruction.documentTitle': {
    'zh-CN': (p: { year: number }) => `${p.year}年领导批示`,
    'en-US': (p: { year: number }) => `Leaders' instructions ${p.year}`,
  },
  'instruction.confirmed': {
    'zh-CN': (p: { article: number; document: string; agencies: string; by: string }) =>
      `已由${p.by}确认立项：${p.document}第${p.article}条，责任单位 ${p.agencies}。`,
    'en-US': (p: { article: number; document: string; agencies: string; by: string }) =>
      `Confirmed by ${p.by}: ${p.document}, art. ${p.article}, for ${p.agencies}.`,
  },
  'instruction.rejected': {
    'zh-CN': (p: { by: string; reason: string }) => `已由${p.by}驳回：${p.reason}`,
    'en-US': (p: { by: string; reason: string }) => `Rejected by ${p.by}: ${p.reason}`,
  },
  'instruction.notice.confirmed': {
    'zh-CN': (p: { agencies: string; article: number; document: string }) =>
      `您的批示已立项跟踪（${p.document}第${p.article}条），责任单位：${p.agencies}。进展将在周报中汇报。`,
    'en-US': (p: { agencies: string; article: number; document: string }) =>
      `Your instruction is now tracked (${p.document}, art. ${p.article}) for ${p.agencies}; progress will appear in the digest.`,
  },
  'instruction.notice.rejected': {
    'zh-CN': (p: { reason: string }) => `督办组未将此批示立项，理由：${p.reason}`,
    'en-US': (p: { reason: string }) => `The coordinators did not take this instruction up: ${p.reason}`,
  },
  'instruction.needsReason': { 'zh-CN': '驳回需要填写理由。', 'en-US': 'A rejection needs a reason.' },
  'instruction.alreadyDecided': {
    'zh-CN': '这条批示已经处理过了。',
    'en-US': 'This instruction was already decided.',
  },
  // --- /import: a decision file posted in the coordinators' group ------------------------------
  'import.command.summary': {
    'zh-CN': '导入决定文件：回复群内的 .txt/.docx 文件，预览后确认（仅限督办组群）',
    'en-US':
      "Import a decision: reply to a posted .txt/.docx file, preview, then confirm (coordinators' group only)",
  },
  'import.command.usage': {
    'zh-CN': '/import（回复群内已发送的 .txt 或 .docx 决定文件）',
    'en-US': '/import (as a reply to a .txt or .docx decision file posted in the group)',
  },
  'import.command.onlyCoordinatorsChat': {
    'zh-CN': '/import 只能在督办组群中使用。',
    'en-US': "/import works only in the coordinators' group.",
  },
  'import.command.replyToFile': {
    'zh-CN': '请先在本群发送决定文件（.txt 或 .docx），再回复该文件发送 /import。',
    'en-US':
      'Post the decision file (.txt or .docx) in this group first, then reply to that file with /import.',
  },
  'import.noFile': {
    'zh-CN': '所回复的消息不是文件。请回复决定文件（.txt 或 .docx）发送 /import。',
    'en-US':
      'The message you replied to is not a file. Reply to the decision file (.txt or .docx) with /import.',
  },
  'import.wrongKind': {
    'zh-CN': (p: { name: string }) =>
      `无法导入「${p.name}」：只接受 .txt（UTF-8 或 GB18030 编码）或 .docx 文件。.doc、.wps 请先另存为 .docx。`,
    'en-US': (p: { name: string }) =>
      `Cannot import "${p.name}": only .txt (UTF-8 or GB18030) or .docx files are read. Save a .doc or .wps file as .docx first.`,
  },
  'import.unreadable': {
    'zh-CN': (p: { problem: string }) => `文件无法读取：${p.problem}`,
    'en-US': (p: { problem: string }) => `The file could not be read: ${p.problem}`,
  },
  'import.emptyFile': {
    'zh-CN': (p: { name: string }) => `「${p.name}」没有可读的文字。请发送含决定正文的文件。`,
    'en-US': (p: { name: string }) => `"${p.name}" holds no text. Post the file with the decision's text.`,
  },
  'import.notText': {
    'zh-CN': (p: { name: string }) =>
      `「${p.name}」既不是 UTF-8 也不是 GB18030 文本。请用记事本“另存为”UTF-8 编码后重新发送。`,
    'en-US': (p: { name: string }) =>
      `"${p.name}" is neither UTF-8 nor GB18030 text. Re-save it as UTF-8 and post it again.`,
  },
  'import.badDocx': {
    'zh-CN': (p: { name: string }) =>
      `「${p.name}」不是可读取的 Word（.docx）文档。请在 Word 或 WPS 中另存为 .docx，或改发 .txt 文件。`,
    'en-US': (p: { name: string }) =>
      `"${p.name}" is not a readable Word (.docx) document. Save it again as .docx in Word or WPS, or post a .txt.`,
  },
  'import.tooLarge': {
    'zh-CN': (p: { name: string }) =>
      `「${p.name}」过大，不像是决定正文。请发送正文文件，而非压缩包或扫描件。`,
    'en-US': (p: { name: string }) =>
      `"${p.name}" is too large to be a decision's text. Post the text itself, not an archive or a scan.`,
  },
  'import.downloadFailed': {
    'zh-CN': '未能从飞书下载该文件，请稍后重试。',
    'en-US': 'The file could not be downloaded from Lark; try again later.',
  },
  'import.card.title': { 'zh-CN': '导入预览', 'en-US': 'Import preview' },
  'import.card.doc': {
    'zh-CN': (p: { title: string; file: string }) => `**${p.title}**\n文件：${p.file}`,
    'en-US': (p: { title: string; file: string }) => `**${p.title}**\nFile: ${p.file}`,
  },
  'import.card.statusNew': { 'zh-CN': '新文件，尚未导入。', 'en-US': 'A new document, not yet imported.' },
  'import.card.statusRevision': {
    'zh-CN': (p: { id: number }) => `已导入文件（#${p.id}）的修订稿：以下为变化。`,
    'en-US': (p: { id: number }) => `A revised text of document #${p.id}: the changes below.`,
  },
  'import.card.statusUnchanged': {
    'zh-CN': (p: { id: number }) => `该文本已导入（#${p.id}），无需再次导入。`,
    'en-US': (p: { id: number }) => `This exact text is already imported (#${p.id}); nothing to do.`,
  },
  'import.card.counts': {
    'zh-CN': (p: { parts: number; articles: number; agencies: number; tasks: number }) =>
      `共 ${p.parts} 部分、${p.articles} 条，涉及 ${p.agencies} 个单位；将新增任务 ${p.tasks} 项。`,
    'en-US': (p: { parts: number; articles: number; agencies: number; tasks: number }) =>
      `${p.parts} parts, ${p.articles} articles, ${p.agencies} agencies; ${p.tasks} tasks to add.`,
  },
  'import.card.added': { 'zh-CN': '**新增**', 'en-US': '**Added**' },
  'import.card.changed': { 'zh-CN': '**变更**', 'en-US': '**Changed**' },
  'import.card.removed': {
    'zh-CN': '**删除（相关任务将关闭）**',
    'en-US': '**Removed (their tasks are closed)**',
  },
  'import.card.article': {
    'zh-CN': (p: { no: number; title: string }) => `第${p.no}条 ${p.title}`,
    'en-US': (p: { no: number; title: string }) => `article ${p.no} ${p.title}`,
  },
  'import.card.task': {
    'zh-CN': (p: { article: number; assignee: string; role: string }) =>
      `第${p.article}条 · ${p.assignee}（${p.role}）`,
    'en-US': (p: { article: number; assignee: string; role: string }) =>
      `article ${p.article} · ${p.assignee} (${p.role})`,
  },
  'import.card.kept': {
    'zh-CN': (p: { kept: number; closed: number }) => `保留进度的任务 ${p.kept} 项，将关闭 ${p.closed} 项。`,
    'en-US': (p: { kept: number; closed: number }) =>
      `${p.kept} tasks kept with their progress, ${p.closed} to close.`,
  },
  'import.card.unknown': {
    'zh-CN': '**未识别的单位**（任务保留但暂无单位，可在 config/agencies.json 中添加别名后重新导入）',
    'en-US':
      '**Names the agency registry does not know** (tasks kept, unassigned; add aliases in config/agencies.json and import again)',
  },
  'import.card.notes': { 'zh-CN': '**确认前请核对**', 'en-US': '**To check before confirming**' },
  'import.card.note': {
    'zh-CN': (p: { code: string; article: number | null; text: string }) =>
      `${p.article === null ? '' : `第${p.article}条 · `}${p.code === 'rule_applied' ? '已按规则处理' : p.code === 'unresolved_deadline' ? '截止时间未能识别' : '责任表述不明确'}：${p.text}`,
    'en-US': (p: { code: string; article: number | null; text: string }) =>
      `${p.article === null ? '' : `article ${p.article} · `}${p.code === 'rule_applied' ? 'a rule was applied' : p.code === 'unresolved_deadline' ? 'deadline not understood' : 'unclear responsibility'}: ${p.text}`,
  },
  'import.card.pastDeadlines': {
    'zh-CN': '**已过期的指标期限**（仅提示，不生成逾期任务）',
    'en-US': '**Indicator deadlines already past** (reported only; no task is made overdue)',
  },
  'import.card.more': {
    'zh-CN': (p: { count: number }) => `……另有 ${p.count} 项`,
    'en-US': (p: { count: number }) => `… and ${p.count} more`,
  },
  'import.card.hash': {
    'zh-CN': (p: { hash: string }) => `文本校验码 ${p.hash}：确认时将重新下载文件并核对。`,
    'en-US': (p: { hash: string }) =>
      `Text checksum ${p.hash}: confirming downloads the file again and checks it.`,
  },
  'import.card.confirm': { 'zh-CN': '确认导入', 'en-US': 'Import' },
  'import.card.cancel': { 'zh-CN': '取消', 'en-US': 'Cancel' },
  'import.done': {
    'zh-CN': (p: { id: number; articles: number; tasks: number; closed: number }) =>
      `已导入（文件 #${p.id}）：新增或更新 ${p.articles} 条，新建任务 ${p.tasks} 项，关闭 ${p.closed} 项。`,
    'en-US': (p: { id: number; articles: number; tasks: number; closed: number }) =>
      `Imported (document #${p.id}): ${p.articles} articles added or updated, ${p.tasks} tasks created, ${p.closed} closed.`,
  },
  'import.already': {
    'zh-CN': (p: { id: number }) => `该文本已导入（文件 #${p.id}），未重复导入。`,
    'en-US': (p: { id: number }) =>
      `This text is already imported (document #${p.id}); nothing was imported twice.`,
  },
  'import.changed': {
    'zh-CN': '文件内容与预览不一致，未导入。请重新回复文件发送 /import。',
    'en-US':
      'The file is not the text previewed; nothing was imported. Reply to the file with /import again.',
  },
  'import.cancelled': { 'zh-CN': '已取消，未导入。', 'en-US': 'Cancelled; nothing was imported.' },
  'import.onlyCoordinatorsChat': {
    'zh-CN': '导入只能在督办组群中确认。',
    'en-US': "An import is confirmed only in the coordinators' group.",
  },
  'import.failed': {
    'zh-CN': '导入未完成，请稍后重试。',
    'en-US': 'The import did not complete; try again later.',
  },

  // --- strict numbers and hostile input (src/core/progress/percent.ts, the bot's refusals) -----
  'percent.empty': {
    'zh-CN': (_p: { text: string }) => '完成比例未填写：请写 0 到 100 的整数。',
    'en-US': (_p: { text: string }) => 'The percentage is empty: write a whole number from 0 to 100.',
  },
  'percent.notDigits': {
    'zh-CN': (p: { text: string }) =>
      `完成比例「${p.text}」无法识别：请只写 0 到 100 的整数，不带正负号、字母或科学计数法（如 50）。`,
    'en-US': (p: { text: string }) =>
      `The percentage "${p.text}" is not plain digits: write a whole number from 0 to 100 without a sign, letters or exponent (e.g. 50).`,
  },
  'percent.fraction': {
    'zh-CN': (p: { text: string }) => `完成比例「${p.text}」带小数：请写 0 到 100 的整数。`,
    'en-US': (p: { text: string }) =>
      `The percentage "${p.text}" has a decimal point: write a whole number from 0 to 100.`,
  },
  'percent.above100': {
    'zh-CN': (p: { text: string }) => `完成比例「${p.text}」超过 100：请写 0 到 100 的整数。`,
    'en-US': (p: { text: string }) =>
      `The percentage "${p.text}" is above 100: write a whole number from 0 to 100.`,
  },
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof entries;

type ParamsOf<T> = T extends (params: infer P) => string ? P : undefined;
export type MessageParams<K extends MessageKey> = ParamsOf<(typeof entries)[K]['zh-CN']>;

/** The product speaks zh-CN; en-US exists for operators (the CLI's --lang) and tests. */
const defaultLocale: Locale = 'zh-CN';

export function t<K extends MessageKey>(
  key: K,
  ...args: MessageParams<K> extends undefined
    ? [params?: undefined, locale?: Locale]
    : [params: MessageParams<K>, locale?: Locale]
): string {
  const [params, locale] = args;
  const text: Text = (entries[key] as Entry)[locale ?? defaultLocale];
  return typeof text === 'function' ? text(params) : text;
}

/** For code that holds a key chosen at run time (e.g. a command's summary): params unchecked. */
export function translate(key: MessageKey, params?: unknown, locale?: Locale): string {
  const text: Text = (entries[key] as Entry)[locale ?? defaultLocale];
  return typeof text === 'function' ? text(params) : text;
}

/** For a completeness test: every key has both locales. */
export function catalogKeys(): MessageKey[] {
  return Object.keys(entries) as MessageKey[];
}
