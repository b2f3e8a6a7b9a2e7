import { startFixture } from './support/fixture';
import { manyInviteParameters, userItems } from './support/throughput';
(async () => {
  const fx = await startFixture();
  for (const c of [1, 1, 10, 10]) {
    fx.sim.reset();
    const t = Date.now();
    const r = await fx.run(manyInviteParameters({ concurrency: c }), userItems(100), true);
    console.log('c', c, Date.now() - t, 'ms', r.output?.[0].length, r.output?.[0][0].json.error ?? '');
  }
  await fx.close(); process.exit(0);
})();
setTimeout(() => process.exit(0), 100);
