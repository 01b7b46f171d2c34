/**
 * Forecasts through the real Bolt app over signed HTTP, against the fake Slack Web API: an item's detail
 * (`/duban #12`) in each language, a department's list, and the status a report leaves behind. The
 * sample zone is read on 28 November 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { SEED_NOW, seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { ask, EN_USER, expectValidMessage, itemStatuses, sectionTexts, ZH_USER } from './helpers.ts';

let t: TestApp;
let model: ReadModel;

beforeAll(async () => {
  model = await seedModel();
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
});
afterAll(async () => t.close());

const number = (id: string) => `#${model.numberOf(id)}`;

describe('an item’s detail carries its forecast', () => {
  it.each([
    [
      ZH_USER,
      't-zx-warm-stations',
      '*预测*　按近三个月进度，预计年底 10/10（100%），能否完成尚难判断（可能 9～11 个）',
    ],
    [
      EN_USER,
      't-zx-warm-stations',
      '*Forecast*　At the pace of the last three months, 10/10 (100%) expected by year end, too close to call (likely 9–11 stations)',
    ],
    [ZH_USER, 'ur-12', '*预测*　已完成节点不足两个，暂不预测'],
  ])('for %s, %s', async (user, id, line) => {
    const { body } = await ask(t, '/duban', number(id), user);
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(sectionTexts(body)).toContain(line);
  });

  it('says a target on course by its pace is at risk on its forecast, in the status and the reasons', async () => {
    const { body, text } = await ask(t, '/duban', number('t-ipb-signed-projects'));
    expectValidMessage(body);
    expect(text).toContain('🟡 预警');
    expect(sectionTexts(body)).toContain(
      '• 截至 11月27日 计划进度 90.7%，实际 85%，落后 5.7 个百分点\n• 按近三个月进度，预计年底 57/60（95%），缺口 3 个',
    );
  });
});

describe('a department’s targets', () => {
  it('lists a target forecast to miss as at risk, with the forecast as its reason', async () => {
    const { body } = await ask(t, '/targets', '投促局');
    expectValidMessage(body);
    expect(itemStatuses(body)).toEqual(['🟡', '🟢']);
    expect(sectionTexts(body).find((s) => s.includes('新签约亿元以上产业项目'))).toContain(
      '按近三个月进度，预计年底 57/60（95%），缺口 3 个',
    );
  });
});
