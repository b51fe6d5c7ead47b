/** Fans engine events out to every listener (the IPC host, the web host's event streams, tests). */
import type { KeelEvent, KeelEventListener } from '../../shared/contract';

export class EventHub {
  private readonly listeners = new Set<KeelEventListener>();

  on(listener: KeelEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: KeelEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener (a closed window, a dropped connection) must not stop the others.
        console.error('Keel: an event listener failed', error);
      }
    }
  }
}
