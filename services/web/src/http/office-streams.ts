// The console's live streams on this origin. The office stream merges payment's (donations of
// the office) and reward's (stock, rewards) into one `changed` event; office.js then fetches
// the re-rendered part. The counter stream follows one counter QR until nothing more can happen.
import { createParser } from 'eventsource-parser';
import type { Express, Request, Response } from 'express';
import { counterReward, intentStatus } from '../app/office-console';
import type { PersonApi } from '../app/office-person-api';
import { translator } from '../i18n';
import { counterRewardText, counterStateText, isPaid, isSettled } from '../views/office-counter';
import { pageContext } from './context';
import { officeIdOf, type ConsoleDeps } from './office-context';

/** Reads one upstream SSE body, calling `onEvent` for each event, until it ends or aborts. */
async function follow(body: ReadableStream<Uint8Array>, onEvent: (event: string) => void) {
  const parser = createParser({ onEvent: (e) => onEvent(e.event ?? 'message') });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
  } catch {
    // aborted (the browser left) or the API went away: this stream is over
  }
}

async function openUpstream(
  api: PersonApi,
  service: 'payment' | 'reward',
  path: string,
  signal: AbortSignal,
) {
  try {
    const res = await api.raw(service, path, { headers: { accept: 'text/event-stream' }, signal });
    if (res.ok && res.body) return res;
    await res.body?.cancel();
    return null;
  } catch {
    return null;
  }
}

function officeStream(deps: ConsoleDeps) {
  return async (req: Request, res: Response) => {
    const officeId = encodeURIComponent(officeIdOf(req));
    const api = deps.auth.personApi(deps.auth.personOf(res));
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const upstreams = await Promise.all([
      openUpstream(api, 'payment', `/offices/${officeId}/events`, abort.signal),
      openUpstream(api, 'reward', `/offices/${officeId}/events`, abort.signal),
    ]);
    if (upstreams.some((u) => u === null)) {
      abort.abort();
      return res.status(502).type('text/plain').send('The live updates are unavailable; retrying.');
    }
    const sse = deps.streams.openSse(req, res);
    if (!sse) return abort.abort();
    let n = 0;
    const changed = (source: string) => (event: string) => {
      if (event === 'status' || event === 'office') sse.send('changed', { source }, String(++n));
    };
    // Either upstream ending ends this stream; the browser reconnects and re-reads the page part.
    await Promise.race([
      follow(upstreams[0]!.body!, changed('payment')),
      follow(upstreams[1]!.body!, changed('reward')),
    ]);
    abort.abort();
    res.end();
  };
}

/** Polls the counter QR (and its reward once paid) and sends each new state in words. */
function counterStream(deps: ConsoleDeps) {
  return (req: Request, res: Response) => {
    const officeId = officeIdOf(req);
    const t = translator(pageContext(req, res, deps.config.counsellingUrl).locale);
    const api = deps.auth.personApi(deps.auth.personOf(res));
    const sse = deps.streams.openSse(req, res);
    if (!sse) return;
    let last = '';
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    void sse.closed.then(() => {
      stopped = true;
      clearTimeout(timer);
    });
    const tick = async () => {
      const status = await intentStatus(
        api,
        String(req.params.pointId),
        String(req.params.intentId),
      );
      if (!status.ok) return res.end();
      const s = status.value;
      const reward =
        isPaid(s) && s.donation ? await counterReward(api, officeId, s.donation.id) : null;
      const data = {
        state: s.donation ? s.donation.status : s.state,
        text: counterStateText(t, s),
        reward: counterRewardText(t, s, reward),
        settled: isSettled(s, reward),
      };
      const json = JSON.stringify(data);
      if (json !== last) sse.send('counter', data, String(Date.now()));
      last = json;
      if (data.settled) return res.end();
      if (!stopped) timer = setTimeout(() => void tick().catch(() => res.end()), 1000);
    };
    void tick().catch(() => res.end());
  };
}

export function mountOfficeStreams(app: Express, deps: ConsoleDeps): void {
  app.get('/office/:officeId/events', officeStream(deps));
  app.get('/office/:officeId/counter/:pointId/:intentId/events', counterStream(deps));
}
