/**
 * Reads a server-sent-events body as `data:` payloads, calling `onData` for each as it arrives
 * (so callers can time the first token). Stops at `[DONE]`; returns the payloads before it.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => void = () => {},
): Promise<{ events: string[]; done: boolean }> {
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data === '') continue;
      if (data === '[DONE]') return { events, done: true };
      events.push(data);
      onData(data);
    }
  }
  return { events, done: false };
}
