// The NQ05 programme of the demo as import files (data/demo/nq05, made by
// scripts/make-nq05-demo.py), imported through the CLI before the server starts:
// `run(tests, { setup: importNq05 })`. Importing them into a demo that already
// has them changes nothing.
import path from 'node:path';
import { repoRoot } from './harness.mjs';

export async function importNq05({ cli, db }) {
  for (const kind of ['programmes', 'indicators', 'targets', 'observations']) {
    cli('import', kind, path.join(repoRoot, 'data', 'demo', 'nq05', `${kind}.csv`), '--db', db);
  }
}
