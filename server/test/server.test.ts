import { expect } from 'chai';
import { request } from 'node:http';
import type { RequestListener } from 'node:http';
import { listen } from './helpers/listen.ts';

/** An app whose `/slow` answers after `delayMs`, telling the test when the request has arrived. */
function slowApp(delayMs: number): { app: RequestListener; arrived: Promise<void> } {
  let signal: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (signal = resolve));
  const app: RequestListener = (req, res) => {
    if (req.url === '/slow') {
      signal();
      setTimeout(() => res.end('done'), delayMs);
    } else if (req.url === '/hang') {
      signal();
    } else {
      res.end('fast');
    }
  };
  return { app, arrived };
}

async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code === 'ECONNREFUSED';
  }
}

describe('startServer', () => {
  it('listens on an ephemeral port and reports its URL', async () => {
    const { app } = slowApp(0);
    const server = await listen(app);
    try {
      expect(server.port).to.be.greaterThan(0);
      expect(server.url).to.equal(`http://127.0.0.1:${server.port}`);
      expect(await (await fetch(`${server.url}/`)).text()).to.equal('fast');
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const { app } = slowApp(0);
    const first = await listen(app);
    try {
      const { startServer } = await import('../src/http/server.ts');
      let error: unknown;
      await startServer(app, { port: first.port, host: '127.0.0.1' }).catch((e: unknown) => (error = e));
      expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('EADDRINUSE');
    } finally {
      await first.close();
    }
  });

  it('close() lets an in-flight request finish, refuses new connections, then resolves', async () => {
    const { app, arrived } = slowApp(300);
    const server = await listen(app);
    const inFlight = fetch(`${server.url}/slow`).then(async (res) => ({
      status: res.status,
      text: await res.text(),
    }));
    await arrived;

    const closeStarted = Date.now();
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(await connectionRefused(`${server.url}/`)).to.equal(true);
    expect(closed).to.equal(false);

    expect(await inFlight).to.deep.equal({ status: 200, text: 'done' });
    await closing;
    expect(Date.now() - closeStarted).to.be.within(200, 2000);
  });

  it('close() does not wait on idle keep-alive sockets', async () => {
    const { app } = slowApp(0);
    const server = await listen(app);
    // fetch keeps its socket open for reuse after the response.
    expect(await (await fetch(`${server.url}/`)).text()).to.equal('fast');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('close() cuts requests still running at the drain deadline', async () => {
    const { app, arrived } = slowApp(0);
    const server = await listen(app, 150);
    const outcome = new Promise<string>((resolve) => {
      const req = request(`${server.url}/hang`, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    await arrived;
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).to.be.within(100, 2000);
    expect(await outcome).to.equal('ECONNRESET');
  });

  it('close() can be called twice', async () => {
    const { app } = slowApp(0);
    const server = await listen(app);
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });
});
