/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { OnDemand } from './on-demand.js';

describe('OnDemand', () => {
  it('imports once however often it is asked, and keeps the module for synchronous use', async () => {
    let imports = 0;
    const feature = new OnDemand(() => Promise.resolve({ imported: ++imports }));
    expect(feature.value).to.equal(undefined);
    feature.prefetch();
    const [first, second] = await Promise.all([feature.load(), feature.load()]);
    expect(first).to.equal(second);
    expect(feature.value).to.equal(first);
    expect(imports).to.equal(1);
  });

  it('tries again after a failed import (the visitor was offline), and a failed prefetch rejects nothing', async () => {
    let fail = true;
    const feature = new OnDemand(() => (fail ? Promise.reject(new Error('offline')) : Promise.resolve('module')));
    feature.prefetch();
    const error = await feature.load().catch((caught: Error) => caught);
    expect((error as Error).message).to.equal('offline');
    expect(feature.value).to.equal(undefined);
    fail = false;
    expect(await feature.load()).to.equal('module');
    expect(feature.value).to.equal('module');
  });
});
