import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import * as z from 'zod/mini';
import { SPEC_DEFAULTS, specFields } from '../src/supervisor/spec-fields.js';
import { planOf } from '../src/supervisor/spec-plan.js';

const { NAME, OPTIONS, SPARES, SUPERVISION } = specFields();

import { allowedKeys, fieldPath } from '../src/supervisor/spec-issues.js';
import { ConfigError, loadConfig } from './cli-modules.js';

// The data fields as both readers see them, without what is each one's own.
const fields = z.strictObject({ name: NAME, options: OPTIONS, ...SUPERVISION, spares: SPARES });
const problemAt = (value: object): string | undefined => {
  const parsed = fields.safeParse({ name: 'a', ...value });
  return parsed.success ? undefined : fieldPath(parsed.error.issues[0]?.path ?? []);
};

// Each rule the two readers used to disagree on, at its edge: the value refused and the one accepted.
const EDGES: [field: string, refused: object, accepted: object][] = [
  ['name', { name: 'two words' }, { name: 'sshd-2.v6' }],
  ['name', { name: '-x' }, { name: '0x' }],
  ['name', { name: '' }, { name: 'a' }],
  ['options.sleeptime', { options: { sleeptime: 0 } }, { options: { sleeptime: 0.5 } }],
  ['restartWindow', { restartWindow: 0 }, { restartWindow: 1 }],
  ['backoff.initial', { backoff: { initial: 1.5 } }, { backoff: { initial: 0 } }],
  ['backoff.factor', { backoff: { factor: 0.5 } }, { backoff: { factor: 1.5 } }],
  ['maxRestarts', { maxRestarts: -1 }, { maxRestarts: 0 }],
  ['shutdownTimeout', { shutdownTimeout: 2.5 }, { shutdownTimeout: 0 }],
  ['startTimeout', { startTimeout: -1 }, { startTimeout: 1 }],
  ['health.interval', { health: { interval: 0 } }, { health: { interval: 1 } }],
  ['limits.maxRssMb', { limits: { maxRssMb: 0.5 } }, { limits: { maxRssMb: 1 } }],
  ['sandbox.read[0]', { sandbox: { read: [''] } }, { sandbox: { read: ['/srv'] } }],
  ['envAllow[0]', { envAllow: [''] }, { envAllow: ['LANG'] }],
  ['spares', { spares: Number.POSITIVE_INFINITY }, { spares: 2 }],
  ['preloadSpares', { preloadSpares: 'yes' }, { preloadSpares: true }],
];

describe('plugin spec fields: one rule per field, one place for defaults', () => {
  it('each shared rule refuses at its edge and names the field as written', () => {
    for (const [field, refused, accepted] of EDGES) {
      expect(problemAt(refused), JSON.stringify(refused)).to.equal(field);
      expect(problemAt(accepted), JSON.stringify(accepted)).to.equal(undefined);
    }
  });

  it('host.add() and the config file refuse the same values, each naming the field its way', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-fields-'));
    try {
      for (const [field, refused] of EDGES) {
        const spec = { name: 'a', module: '/srv/a.js', ...refused };
        const name = typeof spec.name === 'string' ? spec.name : 'unnamed';
        expect(() => planOf(spec as never), field).to.throw(`PluginHost.add({ ${field} }) of plugin "${name}": `);
        const file = path.join(dir, 'jails.json');
        await writeFile(file, JSON.stringify({ plugins: [spec] }));
        const error = (await loadConfig(file).catch((e: unknown) => e)) as ConfigError;
        expect(error, field).to.be.instanceOf(ConfigError);
        expect(error.problems[0], field).to.match(
          new RegExp(`^plugins\\[0\\]\\.${field.replace(/[.[\]]/g, '\\$&')}: `),
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("add() fills in every default from SPEC_DEFAULTS, and a partial object keeps the rest of its field's", () => {
    const plan = planOf({ name: 'a', module: '/srv/a.js' });
    expect(plan).to.deep.include({
      export: SPEC_DEFAULTS.export,
      restart: SPEC_DEFAULTS.restart,
      backoff: SPEC_DEFAULTS.backoff,
      maxRestarts: SPEC_DEFAULTS.maxRestarts,
      restartWindow: SPEC_DEFAULTS.restartWindow,
      shutdownTimeout: SPEC_DEFAULTS.shutdownTimeout,
      startTimeout: SPEC_DEFAULTS.startTimeout,
      health: SPEC_DEFAULTS.health,
      envAllow: SPEC_DEFAULTS.envAllow,
      spares: SPEC_DEFAULTS.spares,
      limits: {},
    });
    const partial = planOf({ name: 'a', module: '/srv/a.js', backoff: { max: 50 }, health: { timeout: 9 } });
    expect(partial.backoff).to.deep.equal({ ...SPEC_DEFAULTS.backoff, max: 50 });
    expect(partial.health).to.deep.equal({ interval: SPEC_DEFAULTS.health.interval, timeout: 9 });
    expect(planOf({ name: 'a', module: '/srv/a.js', health: false }).health).to.equal(undefined);
  });

  it('fieldPath and allowedKeys: the path as a reader writes it, the keys a typo could have meant', () => {
    expect(fieldPath(['plugins', 1, 'routes', 'ban'])).to.equal('plugins[1].routes.ban');
    expect(fieldPath(['routes', 'bad name'])).to.equal('routes["bad name"]');
    expect(fieldPath([])).to.equal('');
    expect(allowedKeys(fields, ['limits'])).to.deep.equal(['maxOldGenerationSizeMb', 'maxRssMb', 'maxHeldMb']);
    expect(allowedKeys(fields, ['health'])).to.deep.equal(['interval', 'timeout']);
    expect(allowedKeys(fields, ['name'])).to.deep.equal([]);
  });
});
