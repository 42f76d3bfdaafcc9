import { Ticker, type TickResult } from '../src/ticker';

/** A unit of work whose ticks the test releases one at a time. */
function gatedWork(results: TickResult[] = []) {
  let running = 0;
  let maxRunning = 0;
  let calls = 0;
  const gates: (() => void)[] = [];
  const work = async (): Promise<TickResult> => {
    calls++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
    return results.shift();
  };
  return {
    work,
    release: () => gates.shift()?.(),
    get calls() {
      return calls;
    },
    get maxRunning() {
      return maxRunning;
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('Ticker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks every interval and never runs two ticks at once', async () => {
    const w = gatedWork();
    const ticker = new Ticker(w.work, { name: 't', everyMs: 1000 });
    ticker.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(w.calls).toBe(1);
    ticker.nudge();
    await jest.advanceTimersByTimeAsync(5000);
    expect(w.calls).toBe(1); // the first tick is still in flight
    w.release();
    await jest.advanceTimersByTimeAsync(0); // the nudge asked for one more, right after
    expect(w.calls).toBe(2);
    expect(w.maxRunning).toBe(1);
    w.release();
    await ticker.stop();
  });

  it("drains without waiting while a tick reports 'again'", async () => {
    const w = gatedWork(['again', 'again', undefined]);
    const ticker = new Ticker(w.work, { name: 't', everyMs: 60_000, runAtStart: true });
    ticker.start();
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(0);
      w.release();
      await settle();
    }
    await jest.advanceTimersByTimeAsync(0);
    expect(w.calls).toBe(3);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(w.calls).toBe(3);
    await ticker.stop();
  });

  it('logs a failing tick and keeps going', async () => {
    const warn = jest.fn();
    let calls = 0;
    const ticker = new Ticker(
      async () => {
        calls++;
        if (calls === 1) throw new Error('database away');
      },
      { name: 'sweeper', everyMs: 100, logger: { warn } as never },
    );
    ticker.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ loop: 'sweeper' }), 'tick failed');
    await ticker.stop();
  });

  it('stop waits for the tick in flight and no tick starts after it', async () => {
    const w = gatedWork();
    const ticker = new Ticker(w.work, { name: 't', everyMs: 10, runAtStart: true });
    ticker.start();
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = ticker.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    w.release();
    await stopping;
    await jest.advanceTimersByTimeAsync(1000);
    expect(w.calls).toBe(1);
  });
});
