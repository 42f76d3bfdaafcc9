// Preloaded into every service process the e2e harness spawns (node --import): when the test
// run dies without its teardown (killed, crashed), the service exits instead of lingering.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(70);
}, 1000).unref();
