// Preloaded into a service process (NODE_OPTIONS=--import <this file>) when the bench profiles:
// Node 20 refuses --cpu-prof in NODE_OPTIONS and the spawner's node arguments are fixed, so the
// process profiles itself through its own inspector session (V8's sampling profiler, as
// --cpu-prof) and writes the profile when it exits — the graceful stop's process.exit included;
// a SIGKILLed process writes none. The wall clock at the profile's start goes with it, so the
// bench can keep only the samples of one phase. Plain JS: it loads before tsx.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let wallAtStart = 0;
  // The in-thread session answers synchronously: the profiler runs once these return.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start', () => {
    wallAtStart = Date.now();
  });
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      const file = path.join(dir, `${process.pid}-${threadId}.cpuprofile.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({ pid: process.pid, wallAtStart, profile: result.profile }),
      );
    });
  });
}
