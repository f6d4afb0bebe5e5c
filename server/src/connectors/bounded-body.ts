/**
 * A network's answer read with a size bound. `res.json()` reads whatever the server sends into memory;
 * a page of a pull connector has a natural size (a page of items, each at most the audit copy's
 * 131,072 characters), and anything far above it is not an answer worth reading.
 */

export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(what: string, limitBytes: number) {
    super(`${what}: the answer is larger than ${limitBytes} bytes; refused unread`);
    this.name = 'BodyTooLargeError';
    this.limitBytes = limitBytes;
  }
}

/** The body as text, or BodyTooLargeError once more than `limitBytes` have arrived (the rest is not read). */
export async function readBoundedText(res: Response, limitBytes: number, what: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    await res.body?.cancel();
    throw new BodyTooLargeError(what, limitBytes);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limitBytes) {
        await reader.cancel();
        throw new BodyTooLargeError(what, limitBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON (JSON.parse does not recurse, so depth is no risk here), size-bounded. */
export async function readBoundedJson(res: Response, limitBytes: number, what: string): Promise<unknown> {
  return JSON.parse(await readBoundedText(res, limitBytes, what)) as unknown;
}
