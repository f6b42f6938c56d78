// /import on a tenant (the app with credentials against the emulator): a coordinator posts a decision file
// in the coordinators' group, replies to it with /import, reads the preview card and taps [确认导入].
import { afterEach, describe, expect, it } from 'vitest';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createDocumentRepository } from '../../../src/store/document-repository.js';
import { docxOfText } from '../../helpers/docx.js';
import { buttonValues, startTenantApp, stopTenantApps, until } from '../../helpers/tenant.js';
import { smallDecision } from '../store/ledger-fixtures.js';

afterEach(stopTenantApps);

describe('/import on a tenant', () => {
  it('a .docx posted in the coordinators group → /import in reply → preview → 确认导入 → imported once', async () => {
    const { emulator, started, coordinator } = await startTenantApp({ now: '2026-12-01T02:00:00Z' });
    const agencies = createAgencyRepository({ db: started.db });
    const documents = createDocumentRepository({ db: started.db });

    const group = emulator.createChat({ name: '督查室', members: [coordinator.open_id] });
    emulator.postAsUser({ chat_id: group.chat_id, open_id: coordinator.open_id, text: '@督办 /bind 督查室' });
    await until(() => agencies.bindingOfChat(group.chat_id) !== null);
    expect(agencies.bindingOfChat(group.chat_id)).toEqual({ kind: 'special', role: 'coordinators' });

    const posted = emulator.postAsUser({
      chat_id: group.chat_id,
      open_id: coordinator.open_id,
      file: { name: '测试决定.docx', data: docxOfText(smallDecision) },
    });
    emulator.postAsUser({
      chat_id: group.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /import',
      parent_id: posted.message.message_id,
    });
    const isPreview = (m: { msg_type: string; content: unknown }) =>
      m.msg_type === 'interactive' && JSON.stringify(m.content).includes('import_confirm');
    await until(() => emulator.messages(group.chat_id).some(isPreview));
    const preview = emulator.messages(group.chat_id).find(isPreview)!;
    expect(JSON.stringify(preview.content)).toContain('关于加强测试工作的决定');
    expect(JSON.stringify(preview.content)).toContain('测试决定.docx');
    expect(documents.findDocumentByTitle('关于加强测试工作的决定')).toBeNull();
    const downloads = emulator.requestLog().filter((r) => /\/resources\//u.test(r.path));
    expect(downloads.map((r) => r.status)).toEqual([200]);

    const confirm = buttonValues(preview.content).find((v) => v.action === 'import_confirm')!;
    const first = await emulator.clickCard({
      message_id: preview.message_id,
      open_id: coordinator.open_id,
      value: confirm,
    });
    expect(JSON.stringify(first)).toContain('已导入');
    const document = documents.findDocumentByTitle('关于加强测试工作的决定');
    expect(document).not.toBeNull();
    expect(document?.sourceName).toBe('测试决定.docx');

    const second = await emulator.clickCard({
      message_id: preview.message_id,
      open_id: coordinator.open_id,
      value: confirm,
    });
    expect(JSON.stringify(second)).toContain('未重复导入');
    expect(documents.findDocumentByTitle('关于加强测试工作的决定')?.id).toBe(document?.id);
  });
});
