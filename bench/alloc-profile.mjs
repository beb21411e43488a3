/**
 * Preloaded into the gateway by `npm run bench -- --alloc-profile FILE` (node --import): V8's
 * sampling heap profiler, counting objects that are collected again (the young garbage a request
 * leaves), written to $SWITCHBOARD_ALLOC_PROFILE when the process exits. Read it with
 * `tsx bench/alloc-top.ts FILE [requests]`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.SWITCHBOARD_ALLOC_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  // The inspector session answers synchronously on the main thread, so this runs before exit.
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (!err) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
