/**
 * Cleanup on Ctrl-C: commands register what to undo (a partial output folder), and the
 * first SIGINT runs it, prints one line and exits with 130.
 */
const cleanups = new Set<() => Promise<void>>();
let installed = false;

export function onInterrupt(cleanup: () => Promise<void>): () => void {
  if (!installed) {
    installed = true;
    process.once('SIGINT', () => {
      process.stderr.write('\ngprune: interrupted; removing partial output.\n');
      void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
    });
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
