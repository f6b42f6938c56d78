import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { card2, larkError, startWorld, type World } from './helpers.js';

/** A 2.0 card whose body holds `elements`. */
const card = (elements: unknown[]) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: '督办' }, template: 'blue' },
  body: { elements },
});
const submit = {
  tag: 'button',
  name: 'sb1',
  text: { tag: 'plain_text', content: '提交' },
  form_action_type: 'submit',
};
const goodForm = (extra: unknown[] = []) => ({
  tag: 'form',
  name: 'f1',
  elements: [{ tag: 'input', name: 'nt1' }, ...extra, submit],
});

describe('the emulator refuses card JSON 2.0 the way Lark does', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.emulator.stop();
  });

  const send = (content: unknown) =>
    world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: JSON.stringify(content) },
    });
  const refusal = async (content: unknown) => {
    const error = await larkError(send(content));
    return { code: error.code, msg: error.msg ?? '' };
  };

  it('accepts a card with a named form, a submit button and unique short element_ids', async () => {
    const ok = await send(
      card([
        { tag: 'markdown', element_id: 'intro', content: `你好 <at id=${world.alice}></at>` },
        goodForm(),
        { tag: 'collapsible_panel', header: { title: { tag: 'plain_text', content: '更多' } }, elements: [] },
      ]),
    );
    expect(ok.code).toBe(0);
  });

  it('refuses note and action, the 1.0-only tags, with 230099 / 200861', async () => {
    for (const tag of ['note', 'action']) {
      const error = await refusal(card([{ tag, elements: [] }]));
      expect(error.code).toBe(230099);
      expect(error.msg).toContain('200861');
    }
  });

  it('refuses a tag Lark does not know', async () => {
    const error = await refusal(card([{ tag: 'fancy_widget' }]));
    expect(error).toMatchObject({ code: 230099 });
    expect(error.msg).toContain('fancy_widget');
  });

  it('refuses a form inside a collapsible panel or a column', async () => {
    const panel = await refusal(
      card([
        {
          tag: 'collapsible_panel',
          header: { title: { tag: 'plain_text', content: '展开' } },
          elements: [goodForm()],
        },
      ]),
    );
    expect(panel.code).toBe(230099);
    expect(panel.msg).toContain('inside collapsible_panel');
    const column = await refusal(
      card([{ tag: 'column_set', columns: [{ tag: 'column', elements: [goodForm()] }] }]),
    );
    expect(column.msg).toContain('inside column');
  });

  it('refuses a chart or a table inside a form', async () => {
    const chart = await refusal(card([goodForm([{ tag: 'chart', chart_spec: { type: 'line' } }])]));
    expect(chart.code).toBe(230099);
    expect(chart.msg).toContain('may not contain a chart');
    const table = await refusal(card([goodForm([{ tag: 'table', columns: [], rows: [] }])]));
    expect(table.msg).toContain('may not contain a table');
  });

  it('refuses a form without a name or without a submit button', async () => {
    const { name: _name, ...unnamed } = goodForm();
    expect((await refusal(card([unnamed]))).msg).toContain('a form needs a name');
    const noSubmit = { tag: 'form', name: 'f1', elements: [{ tag: 'input', name: 'nt1' }] };
    expect((await refusal(card([noSubmit]))).msg).toContain('form_action_type submit');
    const resetOnly = { ...noSubmit, elements: [{ ...submit, form_action_type: 'reset' }] };
    expect((await refusal(card([resetOnly]))).code).toBe(230099);
  });

  it('refuses a repeated, over-long or malformed element_id', async () => {
    const twice = await refusal(
      card([
        { tag: 'markdown', element_id: 'same', content: 'a' },
        { tag: 'markdown', element_id: 'same', content: 'b' },
      ]),
    );
    expect(twice.msg).toContain('unique');
    const long = await refusal(card([{ tag: 'markdown', element_id: 'a'.repeat(21), content: 'a' }]));
    expect(long.msg).toContain('at most 20');
    const digit = await refusal(card([{ tag: 'markdown', element_id: '1abc', content: 'a' }]));
    expect(digit.code).toBe(230099);
    const ok = await send(card([{ tag: 'markdown', element_id: 'a'.repeat(20), content: 'a' }]));
    expect(ok.code).toBe(0);
  });

  it('refuses an <at> of an open_id this app does not know with 100290, and accepts @all', async () => {
    const error = await refusal(
      card([{ tag: 'markdown', content: '<at id=ou_from_another_app></at> 请报送' }]),
    );
    expect(error.code).toBe(230099);
    expect(error.msg).toContain('100290');
    const ids = await refusal(card([{ tag: 'markdown', content: `<at ids=${world.alice},ou_nobody></at>` }]));
    expect(ids.msg).toContain('ou_nobody');
    expect((await send(card([{ tag: 'markdown', content: '<at id=all></at>' }]))).code).toBe(0);
  });

  it('counts every element, plain_text included, against the 200 limit (11310)', async () => {
    // 100 buttons are 200 tagged objects (button + its plain_text), plus the header title: 201.
    const buttons = Array.from({ length: 100 }, (_, i) => ({
      tag: 'button',
      text: { tag: 'plain_text', content: `b${i}` },
      behaviors: [{ type: 'callback', value: { i } }],
    }));
    const error = await refusal(card(buttons));
    expect(error.code).toBe(230099);
    expect(error.msg).toContain('11310');
    expect(error.msg).toContain('201');
    expect((await send(card(buttons.slice(1)))).code).toBe(0);
  });

  it('measures the 30 KB on the whole request body, where JSON escaping counts too', async () => {
    // Quotes are escaped once in the card JSON and again in the request: content under 30 KB, body over.
    const content = JSON.stringify(card2('x', [{ tag: 'markdown', content: '"'.repeat(15_000) }]));
    expect(Buffer.byteLength(content)).toBeLessThan(30 * 1024);
    const error = await larkError(
      world.client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: world.chatId, msg_type: 'interactive', content },
      }),
    );
    expect(error.code).toBe(230025);
  });

  it('applies the same checks to a card update (PATCH)', async () => {
    const sent = await send(card2('v1'));
    const error = await larkError(
      world.client.im.message.patch({
        path: { message_id: sent.data?.message_id ?? '' },
        data: { content: JSON.stringify(card([{ tag: 'note', elements: [] }])) },
      }),
    );
    expect(error.code).toBe(230099);
  });
});
