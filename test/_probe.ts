import { startGraphSimulator, DEFAULT_CALL_ID } from './simulator';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
(async () => {
  const sim = await startGraphSimulator();
  const url = `${sim.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`;
  for (const label of ['GET', 'POST', 'POST']) {
    const t = Date.now();
    for (let i = 0; i < 50; i++) {
      await httpRequest({ url, method: label as 'GET', body: label === 'POST' ? '{"participants":[]}' : undefined, headers: {'Content-Type':'application/json'}, json: false, encoding: 'text', returnFullResponse: true, ignoreHttpStatusErrors: true, timeout: 60000 } as never);
    }
    console.log(label, 'seq 50', Date.now() - t, 'ms');
  }
  await sim.close(); process.exit(0);
})();
