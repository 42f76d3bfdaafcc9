// The suite's one logger factory: JSON lines, secret headers redacted whatever logs them, and
// no trace fields while tracing is off (the default).
import { Writable } from 'node:stream';
import { createLogger } from '../src';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

test('with tracing off a log line holds what was logged and no trace ids', () => {
  const { lines, stream } = capture();
  const donationId = '6f1c2b7e-3c1a-4d4e-9f43-0b8f2a1d5e77';
  createLogger('test', stream).warn({ err: new Error('x'), donationId }, 'a line');
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(line).toMatchObject({ msg: 'a line', donationId, name: 'test' });
  expect(line).not.toHaveProperty('trace_id');
});
