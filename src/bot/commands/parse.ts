/** A slash command as typed: `/bind 市科技局` → { name: 'bind', args: '市科技局', tokens: ['市科技局'] }. */
export interface ParsedCommand {
  name: string;
  args: string;
  tokens: string[];
}

// Chinese input methods often produce a full-width slash or spaces. Any name is read (`/周报`, `/帮助`):
// every slash command gets an answer, if only "no such command, did you mean …".
const COMMAND = /^[/／]([^\s\u3000/／]+)(?:[\s\u3000]+([\s\S]*))?$/u;

export function parseCommand(text: string): ParsedCommand | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  const args = (match[2] ?? '').trim();
  return { name: match[1]!.toLowerCase(), args, tokens: args ? args.split(/[\s\u3000]+/) : [] };
}
