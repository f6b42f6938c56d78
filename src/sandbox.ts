/**
 * The sandbox that `npm start` runs without Lark credentials: the Lark emulator with a group per
 * agency, a coordinators' group and a leaders' group, all bound in the ledger, with people in them.
 * Their roles are not written here: as on a tenant, start-up reads each bound group's members.
 * The emulator's state is saved next to the database so a restart continues where it stopped.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Config, LarkSettings } from './config/index.js';
import { DubanError } from './core/errors.js';
import {
  chatIdForName,
  createLarkEmulator,
  type EmulatorSnapshot,
  type LarkEmulator,
  type LarkEmulatorOptions,
  openIdForName,
} from './emulator/index.js';
import type { Logger } from './logger.js';
import type { AgencyRepository } from './store/agency-repository.js';

/**
 * The sandbox's fixed identity: the bot side and the emulator must agree on it. The encryption key is
 * not here: each database gets its own (see startSandbox's `encryptKey`), so no two sandboxes share one.
 */
const SANDBOX_APP = {
  appId: 'cli_d0ba5a4db0c00001',
  appSecret: 'duban-sandbox-secret',
  verificationToken: 'duban-sandbox-verification-token',
};

/** People the sandbox plays; names are sample data for the emulator, not bot wording. */
export const SANDBOX_PEOPLE = {
  coordinator: { name: '王督查', openId: openIdForName('sandbox:coordinator') },
  leader: { name: '李市长', openId: openIdForName('sandbox:leader') },
};
const OFFICIAL_NAMES = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄勇',
  '周杰',
  '吴婷',
  '徐涛',
  '孙丽',
  '马超',
  '朱琳',
  '胡斌',
  '郭霞',
  '何平',
  '高峰',
  '林欣',
  '罗刚',
  '郑爽',
  '梁宇',
  '谢娟',
  '宋强',
  '唐颖',
  '许凯',
  '韩雪',
  '冯亮',
  '邓超',
  '曹阳',
  '彭飞',
  '曾琦',
  '肖鹏',
  '田甜',
  '董浩',
  '袁媛',
  '潘磊',
  '蒋欢',
  '蔡明',
  '余佳',
  '杜鹃',
  '叶青',
  '程远',
  '魏东',
  '苏晴',
  '吕博',
  '丁宁',
  '沈然',
];
export const SANDBOX_CHATS = {
  coordinators: '督查室工作群',
  leaders: '市领导督办群',
  unbound: '新建工作群（待绑定）',
  agency: (agency: string) => `${agency}督办群`,
};

/**
 * The chat ids the sandbox binds for these agencies and its own groups: a database holding one of them
 * was made by a sandbox (how a database older than the mode marker is recognised).
 */
export function sandboxChatIds(agencyNames: readonly string[]): string[] {
  return [
    chatIdForName(SANDBOX_CHATS.coordinators),
    chatIdForName(SANDBOX_CHATS.leaders),
    ...agencyNames.map((name) => chatIdForName(SANDBOX_CHATS.agency(name))),
  ];
}

export interface Sandbox {
  emulator: LarkEmulator;
  lark: LarkSettings;
  pageUrl: string;
  /** Creates the groups and people (idempotent); call once the bot can receive events. */
  seed(): void;
  stop(): Promise<void>;
}

function snapshotPathOf(dbPath: string): string | undefined {
  return dbPath === ':memory:' ? undefined : `${dbPath}.emulator.json`;
}

function readSnapshot(path: string | undefined, logger: Logger): EmulatorSnapshot | undefined {
  if (!path || !existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EmulatorSnapshot;
  } catch (error) {
    // A damaged snapshot costs the chat history, not the ledger: start with fresh chats.
    logger.warn({ err: error, path }, 'emulator snapshot unreadable; starting with fresh chats');
    return undefined;
  }
}

export async function startSandbox(input: {
  config: Config;
  logger: Logger;
  agencies: AgencyRepository;
  now: Date;
  /** This database's event encryption key (generated once per database and kept in it). */
  encryptKey: string;
  emulatorOptions?: Partial<LarkEmulatorOptions>;
}): Promise<Sandbox> {
  const { config, logger, agencies: agencyRepo } = input;
  const snapshotPath = snapshotPathOf(config.dbPath);
  const initialState = readSnapshot(snapshotPath, logger);
  const emulator = createLarkEmulator({
    host: config.sandbox.host,
    port: config.sandbox.port,
    ...SANDBOX_APP,
    encryptKey: input.encryptKey,
    // A tenant that approved im:message.group_msg, unless DUBAN_SANDBOX_GROUP_MSG=false.
    groupMessageEvents: config.sandbox.groupMessages ? 'all' : 'mentions_only',
    // The production transport by default: the bot connects over the long connection, as on a tenant.
    transport: config.sandbox.transport,
    logger: logger.child({ component: 'emulator' }),
    ...(initialState ? { initialState } : {}),
    ...input.emulatorOptions,
  });
  const { url } = await emulator.start().catch((error: unknown) => {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new DubanError(
        'sandbox.port_in_use',
        `Port ${config.sandbox.port} on ${config.sandbox.host} is already in use.`,
        {
          hint: 'Stop the other process, or choose another port: DUBAN_SANDBOX_PORT=3100 npm start',
          cause: error,
        },
      );
    }
    throw error;
  });

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!snapshotPath) return;
    const temp = `${snapshotPath}.tmp`;
    writeFileSync(temp, JSON.stringify(emulator.snapshot()));
    renameSync(temp, snapshotPath); // atomic: a crash never leaves half a snapshot
  };
  const unsubscribe = emulator.subscribe(() => {
    if (saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      try {
        save();
      } catch (error) {
        logger.warn({ err: error }, 'could not save the emulator snapshot');
      }
    }, 500);
  });

  const seed = () => {
    const at = input.now.toISOString();
    const audit = { actor: 'sandbox', channel: 'system' as const, at };
    const { coordinator, leader } = SANDBOX_PEOPLE;
    emulator.addUser({ name: coordinator.name, open_id: coordinator.openId });
    emulator.addUser({ name: leader.name, open_id: leader.openId });

    const agencies = agencyRepo.listAgencies({ bindableOnly: true });
    agencies.forEach((agency, index) => {
      const name = OFFICIAL_NAMES[index % OFFICIAL_NAMES.length] ?? `联络员${index + 1}`;
      const official = emulator.addUser({ name, open_id: openIdForName(`sandbox:official:${agency.name}`) });
      if (!agency.contactOpenId)
        agencyRepo.setAgencyContact({ agency: agency.name, contactOpenId: official.open_id, ...audit });
      const chatName = SANDBOX_CHATS.agency(agency.name);
      // Bind before the bot joins, so it does not greet an already-bound group with the onboarding card.
      if (!agency.chatId)
        agencyRepo.bindAgencyChat({ agencyId: agency.id, chatId: chatIdForName(chatName), ...audit });
      emulator.createChat({
        name: chatName,
        members: [official.open_id, coordinator.openId],
        bot: true,
        operator_open_id: coordinator.openId,
      });
    });

    const specials = [
      { role: 'coordinators' as const, name: SANDBOX_CHATS.coordinators, members: [coordinator.openId] },
      { role: 'leaders' as const, name: SANDBOX_CHATS.leaders, members: [leader.openId, coordinator.openId] },
    ];
    for (const special of specials) {
      if (!agencyRepo.chatOfSpecial(special.role)) {
        agencyRepo.bindSpecialChat({ role: special.role, chatId: chatIdForName(special.name), ...audit });
      }
      emulator.createChat({
        name: special.name,
        members: special.members,
        bot: true,
        operator_open_id: coordinator.openId,
      });
    }
    // One group left unbound on purpose: it shows a newcomer the onboarding card a real group gets.
    if (!emulator.chat(chatIdForName(SANDBOX_CHATS.unbound))) {
      emulator.createChat({
        name: SANDBOX_CHATS.unbound,
        members: [coordinator.openId],
        bot: true,
        operator_open_id: coordinator.openId,
      });
    }
    logger.info({ agencies: agencies.length }, 'sandbox groups ready');
  };

  return {
    emulator,
    lark: {
      appId: SANDBOX_APP.appId,
      appSecret: SANDBOX_APP.appSecret,
      domain: url,
      transport: emulator.transport,
      encryptKey: input.encryptKey,
      verificationToken: SANDBOX_APP.verificationToken,
    },
    pageUrl: url.replace('127.0.0.1', 'localhost'),
    seed,
    async stop() {
      unsubscribe();
      clearTimeout(saveTimer);
      try {
        save();
      } catch (error) {
        logger.warn({ err: error }, 'could not save the emulator snapshot');
      }
      await emulator.stop();
    },
  };
}
