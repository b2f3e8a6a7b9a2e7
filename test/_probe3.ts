import https from 'node:https';
import { startGraphSimulator, DEFAULT_CALL_ID } from './simulator';
function post(url: string, agent: https.Agent | undefined, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject); req.end(body);
  });
}
(async () => {
  const sim = await startGraphSimulator();
  const url = `${sim.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`;
  for (const [label, agent] of [['no-keepalive', new https.Agent({ keepAlive: false })], ['keepalive', new https.Agent({ keepAlive: true })]] as const) {
    const t = Date.now();
    for (let i = 0; i < 50; i++) await post(url, agent, '{"participants":[]}');
    console.log(label, 'seq 50', Date.now() - t, 'ms');
  }
  await sim.close(); process.exit(0);
})();
