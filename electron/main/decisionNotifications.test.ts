import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeelEvent, KeelEventListener } from '../../shared/contract';
import { dueNotificationText, watchDueForecasts } from './decisionNotifications';

const electron = vi.hoisted(() => ({
  supported: true,
  shown: [] as { options: { title: string; body: string }; click?: () => void }[],
}));

vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => electron.supported;
    private readonly record: { options: { title: string; body: string }; click?: () => void };
    constructor(options: { title: string; body: string }) {
      this.record = { options };
    }
    on(event: string, listener: () => void) {
      if (event === 'click') this.record.click = listener;
    }
    show() {
      electron.shown.push(this.record);
    }
  },
}));

const due = (n: number) => ({
  loopId: `lp-${n}`,
  title: `Loop ${n}`,
  forecastId: `fc-${n}`,
  statement: `Forecast ${n}`,
  resolveBy: '2027-01-01',
});

function fakeEngine() {
  let listener: KeelEventListener | undefined;
  return {
    onEvent: (next: KeelEventListener) => {
      listener = next;
      return () => (listener = undefined);
    },
    emit: (event: KeelEvent) => listener?.(event),
  };
}

beforeEach(() => {
  electron.supported = true;
  electron.shown.length = 0;
});

describe('due forecast notifications', () => {
  it('show one notification naming the forecasts, and bring the window forward on a click', () => {
    const engine = fakeEngine();
    const focus = vi.fn();
    const stop = watchDueForecasts(engine, focus);
    engine.emit({ type: 'forecasts.due', forecasts: [due(1), due(2)] });
    expect(electron.shown).toHaveLength(1);
    expect(electron.shown[0]!.options.title).toBe('2 forecasts are due to be resolved');
    expect(electron.shown[0]!.options.body).toContain('Forecast 1 (Loop 1)');
    electron.shown[0]!.click!();
    expect(focus).toHaveBeenCalledOnce();
    stop();
    engine.emit({ type: 'forecasts.due', forecasts: [due(3)] });
    expect(electron.shown).toHaveLength(1);
  });

  it('ignore other events, and stay quiet where the system has no notifications', () => {
    const engine = fakeEngine();
    watchDueForecasts(engine, () => undefined);
    engine.emit({ type: 'turn.delta', loopId: 'lp-1', turnId: 'tn-1', text: 'due' });
    expect(electron.shown).toHaveLength(0);
    electron.supported = false;
    engine.emit({ type: 'forecasts.due', forecasts: [due(1)] });
    expect(electron.shown).toHaveLength(0);
  });

  it('name at most three and count the rest', () => {
    const text = dueNotificationText([due(1), due(2), due(3), due(4), due(5)]);
    expect(text.title).toBe('5 forecasts are due to be resolved');
    expect(text.body).toContain('and 2 more');
    expect(dueNotificationText([due(1)]).title).toBe('A forecast is due to be resolved');
  });
});
