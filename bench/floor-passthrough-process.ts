/**
 * The floor for a Node hop: the least an HTTP proxy in Node can do, a node:http server that pipes
 * each request to the mock over a keep-alive agent and pipes the answer back. No parsing, no
 * logging; whatever a gateway adds above this is its own work.
 */
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import { serveBench } from './child-ipc.js';

export interface FloorReady {
  url: string;
  nodeVersion: string;
}

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const server = createServer((req, res) => {
  const headers = { ...req.headers, host: upstream.host };
  const forwarded = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => res.destroy());
  req.pipe(forwarded);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');

serveBench(
  { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, nodeVersion: process.version } satisfies FloorReady,
  {},
  async () => {
    server.closeAllConnections();
    server.close();
    agent.destroy();
  },
);
