import type { PersonRole } from '../core/vocabulary.js';
import type { BindChat } from '../usecases/bind-chat.js';
import type { ChatDirectory } from '../usecases/chat-directory.js';
import type { ChatImport } from '../usecases/chat-import.js';
import type { Coordination } from '../usecases/coordination.js';
import type { DigestPreview } from '../usecases/digest.js';
import type { Exports } from '../usecases/export.js';
import type { ArticleHistoryQuery } from '../usecases/history.js';
import type { Instructions } from '../usecases/instructions.js';
import type { Membership } from '../usecases/membership.js';
import type { ReplyUseCases } from '../usecases/read-replies.js';
import type { ProgressUseCases } from '../usecases/report-progress.js';
import type { Review } from '../usecases/review.js';
import type { ScoreCard } from '../usecases/scores.js';

/**
 * What the bot needs from the rest of the product: the use cases, already given their repositories by
 * the composition root. Tests may pass fakes of the same shape.
 */
export type Role = PersonRole;

export type BotDirectory = Pick<ChatDirectory, 'rolesOf' | 'agenciesOf' | 'bindingOf' | 'bindableAgencies'>;

export interface BotUseCases {
  bindChat: BindChat;
  progress: Pick<
    ProgressUseCases,
    'findTask' | 'recordReport' | 'confirmNoChange' | 'promptCard' | 'cardAfter'
  >;
  /** People joining or leaving a bound group gain or lose its role at once. */
  membership: Pick<Membership, 'memberJoined' | 'memberLeft'>;
  /** Free-text replies, /report and evidence files. */
  replies: Pick<ReplyUseCases, 'readText' | 'confirmReading' | 'reportCommand' | 'attachFile'>;
  /** Verification (销号/退回) and extensions (延期); who may decide is the use case's rule. */
  review: Pick<
    Review,
    'verify' | 'returnTask' | 'requestExtension' | 'requestExtensionByArticle' | 'decideExtension'
  >;
  /** An article's audit trail (/history); optional so front ends without it still compile. */
  history?: ArticleHistoryQuery | undefined;
  /** Article 34's scores as the /score card; optional so front ends without the rules still compile. */
  scoreCard?: ScoreCard | undefined;
  /** The xlsx exports sent as a file message (/export). */
  exports?: Pick<Exports, 'sendTo'> | undefined;
  /** The coordinators' commands: the task board, due dates, assignments, unbinding, prompts and pauses. */
  coordination: Coordination;
  /** The leaders' digest as it would be sent now (/digest); optional so front ends without it compile. */
  digest?: DigestPreview | undefined;
  /** Leaders' instructions (批示) from the digest's thread; optional so front ends without it compile. */
  instructions?: Pick<Instructions, 'readLeaderReply' | 'decide'> | undefined;
  /** A decision file posted in the coordinators' group, previewed and imported on confirm (/import). */
  chatImport?: ChatImport | undefined;
}

/** The inbox in the database (src/store/inbound-repository.ts), as the bot's intake uses it. */
export interface InboundLog {
  /**
   * Records events in one transaction; for each, true the first time it (and its message) is seen,
   * false for Lark's retries and duplicates. `payload` present = work is owed on it. Throws, recording
   * nothing, when the database refuses.
   */
  record(
    items: readonly { eventId: string; messageId?: string; kind: string; payload?: string }[],
    at: Date,
    /** Events whose work is done, marked in the same transaction (one commit per turn, not two). */
    processed?: readonly string[],
  ): boolean[];
  /** The work owed on these events is done. */
  markProcessed(eventIds: readonly string[]): void;
  /** Recorded events still owing their work, oldest first. */
  unprocessed(limit: number): { eventId: string; kind: string; payload: string }[];
  /**
   * The bot's answer to a recorded message, once sent. Lark dedupes a reply's uuid for an hour only: a
   * message worked again later (a restart after a long outage) is not answered a second time.
   */
  answerOf(messageId: string): string | null;
  recordAnswer(messageId: string, answerMessageId: string): void;
}
