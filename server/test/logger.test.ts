import { expect } from 'chai';
import { Writable } from 'node:stream';
import { REDACTED, createLogger } from '../src/observability/logger.ts';
import type { LogLevel } from '../src/observability/logger.ts';

/** A logger writing into an array of parsed JSON lines. */
function capture(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

describe('createLogger', () => {
  it('writes structured JSON lines with the message and fields', () => {
    const { logger, lines } = capture('info');
    logger.info({ url: 'http://127.0.0.1:8787' }, 'sync server listening');
    logger.debug('not at info');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ msg: 'sync server listening', url: 'http://127.0.0.1:8787', level: 30 });
  });

  it('never writes tokens, secrets or signature headers, even at trace', () => {
    for (const level of ['info', 'trace'] as const) {
      const { logger, lines } = capture(level);
      logger.info(
        {
          accessToken: '00Dsecret',
          conn: { accessToken: '00Dnested', instanceUrl: 'https://org' },
          req: { headers: { authorization: 'Bearer 00Dheader', 'x-hub-signature-256': 'sha256=abc' } },
          secret: 'dev-x-secret',
        },
        'call',
      );
      const text = JSON.stringify(lines);
      for (const leaked of ['00Dsecret', '00Dnested', '00Dheader', 'sha256=abc', 'dev-x-secret']) {
        expect(text, `${leaked} at ${level}`).not.to.include(leaked);
      }
      expect(lines[0]?.accessToken).to.equal(REDACTED);
      expect(text).to.include('https://org');
    }
  });

  it('hides message bodies at info and shows them at debug', () => {
    const post = { mention: { text: 'my order never arrived', network: 'x' }, body: 'raw payload' };
    const atInfo = capture('info');
    atInfo.logger.info(post, 'mention received');
    expect(atInfo.lines[0]?.mention).to.deep.equal({ text: REDACTED, network: 'x' });
    expect(atInfo.lines[0]?.body).to.equal(REDACTED);

    const atDebug = capture('debug');
    atDebug.logger.info(post, 'mention received');
    expect(atDebug.lines[0]?.mention).to.deep.equal({ text: 'my order never arrived', network: 'x' });
    expect(atDebug.lines[0]?.body).to.equal('raw payload');
  });
});
