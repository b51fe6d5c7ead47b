/**
 * The desktop shell's system notification for forecasts that came due: the engine announces them
 * (once each a session, only while the person's setting allows it), and this shows one
 * notification naming them; clicking it brings Keel's window forward. Nothing here reads data.
 */
import { Notification } from 'electron';
import type { DueForecast } from '../../shared/domain';
import type { Engine } from '../engine/Engine';

/** The notification's words for a set of forecasts now due. */
export function dueNotificationText(forecasts: readonly DueForecast[]): { title: string; body: string } {
  const title =
    forecasts.length === 1
      ? 'A forecast is due to be resolved'
      : `${forecasts.length} forecasts are due to be resolved`;
  const named = forecasts.slice(0, 3).map((due) => `${due.statement} (${due.title})`);
  const more = forecasts.length > 3 ? `\nand ${forecasts.length - 3} more` : '';
  return { title, body: `${named.join('\n')}${more}\nResolve them on the Decisions page.` };
}

/** Listens for due forecasts and notifies; returns the function that stops listening. */
export function watchDueForecasts(engine: Pick<Engine, 'onEvent'>, focusWindow: () => void): () => void {
  return engine.onEvent((event) => {
    if (event.type !== 'forecasts.due' || event.forecasts.length === 0) return;
    if (!Notification.isSupported()) return;
    const notification = new Notification({ ...dueNotificationText(event.forecasts), silent: false });
    notification.on('click', focusWindow);
    notification.show();
  });
}
