/**
 * Resolves with the first SIGINT or SIGTERM, after which the listeners are removed (so a
 * second signal gets Node's default action: exit at once). `cancel` removes them without
 * resolving, for a command that fails before it would wait.
 */
export function waitForSignal(cancel?: AbortSignal): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const off = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    };
    const stop = (signal: NodeJS.Signals): void => {
      off();
      done(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    cancel?.addEventListener("abort", off, { once: true });
  });
}
