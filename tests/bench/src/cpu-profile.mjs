// Preloaded into a service process (NODE_OPTIONS=--import <this file>) when the bench profiles:
// Node 20 refuses --cpu-prof in NODE_OPTIONS and the spawner's node arguments are fixed, so the
// process profiles itself through its own inspector session (V8's sampling profiler every 1 ms,
// as --cpu-prof). SIGUSR2 starts the profiler, a second SIGUSR2 stops it, so only the phase the
// bench measures pays for sampling (not the boot, whose startup transactions have time limits);
// the profile is written when the process exits — the graceful stop's process.exit included; a
// SIGKILLed process writes none. The wall clock at the profile's start goes with it. Plain JS:
// it loads before tsx.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let state = 'idle';
  let wallAtStart = 0;
  let profile = null;
  // The in-thread session answers synchronously: each step is done once post returns.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  process.on('SIGUSR2', () => {
    if (state === 'idle') {
      session.post('Profiler.start', () => {
        wallAtStart = Date.now();
        state = 'running';
      });
    } else if (state === 'running') {
      session.post('Profiler.stop', (err, result) => {
        if (!err && result) profile = result.profile;
        state = 'stopped';
      });
    }
  });
  process.on('exit', () => {
    if (state === 'running') {
      session.post('Profiler.stop', (err, result) => {
        if (!err && result) profile = result.profile;
      });
    }
    if (!profile) return;
    const file = path.join(dir, `${process.pid}.cpuprofile.json`);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, wallAtStart, profile }));
  });
}
