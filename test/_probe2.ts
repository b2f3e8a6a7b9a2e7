import { startFixture } from './support/fixture';
import { manyInviteParameters, userItems } from './support/throughput';
(async () => {
  const fx = await startFixture();
  for (const n of [100, 300, 600]) {
    fx.sim.reset();
    const t = Date.now();
    const r = await fx.run(manyInviteParameters({ concurrency: 1 }), userItems(n), true);
    console.log('n', n, Date.now() - t, 'ms', r.output?.[0].length);
  }
  await fx.close(); process.exit(0);
})();
