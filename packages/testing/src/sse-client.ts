// A minimal SSE client over fetch for tests: what a browser's EventSource reads, raw.

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
}

export interface OpenedStream {
  status: number;
  headers: Headers;
  /** The body of a refusal (problem+json), when the stream did not open. */
  problem?: { status: number; detail: string };
  /** Resolves with the next event (or field block); null when the server ended the stream. */
  next(): Promise<SseEvent | null>;
  /** Reads until an event matching `test` (or the end). */
  until(test: (e: SseEvent) => boolean): Promise<SseEvent | null>;
  close(): void;
}

export async function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<OpenedStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = (await res.json()) as { status: number; detail: string };
    return {
      status: res.status,
      headers: res.headers,
      problem: body,
      next: async () => null,
      until: async () => null,
      close: () => abort.abort(),
    };
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (): Promise<SseEvent | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const at = line.indexOf(':');
          const field = line.slice(0, at) as keyof SseEvent;
          event[field] = line.slice(at + 1).trimStart();
        }
        if (Object.keys(event).length > 0) return event;
        continue;
      }
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        return null;
      }
      if (chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    async until(test) {
      for (;;) {
        const e = await next();
        if (e === null || test(e)) return e;
      }
    },
    close: () => abort.abort(),
  };
}
