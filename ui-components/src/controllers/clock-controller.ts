import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A shared "now" for relative times and SLA timers: re-renders its host every `intervalMs` while
 * connected, so "waiting 3 h 12 min" keeps counting without the host pushing data.
 */
export class ClockController implements ReactiveController {
  now = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly intervalMs = 30_000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.tick();
    this.#timer = setInterval(() => this.tick(), this.intervalMs);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Re-reads the clock and re-renders the host. */
  tick(): void {
    this.now = Date.now();
    this.host.requestUpdate();
  }
}
