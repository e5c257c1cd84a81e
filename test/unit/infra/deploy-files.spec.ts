/**
 * infra/compose and infra/k8s checked against the real schemas (the compose
 * spec as shipped by dclint; the Kubernetes OpenAPI schemas as shipped by
 * kubernetes-models) and against setups.data.ts, so a typo or a setup that
 * drifts from its deployment files fails CI.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { SETUPS } from '../../../infra/setups.data';

const ROOT = resolve(__dirname, '../../..');
const COMPOSE_DIR = join(ROOT, 'infra/compose');
const K8S_DIR = join(ROOT, 'infra/k8s');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const composeSchema = JSON.parse(
  readFileSync(join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json'), 'utf8'),
) as Doc;
// The file names draft-07 by its https URL, which ajv does not know by that
// spelling; the schema itself is plain draft-07, ajv's default dialect.
delete composeSchema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateComposeSchema = ajv.compile(composeSchema);

function validateCompose(doc: unknown): string[] {
  const validate = validateComposeSchema;
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('infra/compose/compose.yaml', () => {
  const compose = parse(readFileSync(join(COMPOSE_DIR, 'compose.yaml'), 'utf8'), { merge: true }) as Doc;

  it('is valid against the compose specification schema', () => {
    expect(validateCompose(compose)).toEqual([]);
  });

  it('fails that schema when a service key has a typo (the check can fail)', () => {
    const broken = structuredClone(compose);
    broken.services['api-jwt'].enviroment = { A: 'b' };
    expect(validateCompose(broken).join('\n')).toMatch(
      /additional properties|must NOT have additional properties/i,
    );
  });

  it.each(SETUPS.map((s) => [s.name, s] as const))(
    'has a profile for setup %s with its app environment, Redis when it needs it and nginx for its routing',
    (name, setup) => {
      const api = compose.services[`api-${name}`];
      expect(api.profiles).toEqual([name]);
      expect(api.environment).toMatchObject(setup.appEnv);
      expect(compose.services.redis.profiles.includes(name)).toBe(setup.needsRedis);
      const nginx = Object.entries(compose.services as Record<string, Doc>).filter(
        ([k, v]) => k.startsWith('nginx-') && v.profiles.includes(name),
      );
      expect(nginx).toHaveLength(1);
      const conf = String(nginx[0]?.[1].volumes[0]).split(':')[0] ?? '';
      expect(existsSync(join(COMPOSE_DIR, conf))).toBe(true);
      const text = readFileSync(join(COMPOSE_DIR, conf), 'utf8');
      expect(/ip_hash;/.test(text)).toBe(setup.routing === 'ip-hash');
      expect(/hash \$authscale_key consistent;/.test(text)).toBe(setup.routing === 'sticky');
    },
  );

  it('runs the API image as a non-root user with a health check (multi-stage Dockerfile)', () => {
    const dockerfile = readFileSync(join(COMPOSE_DIR, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/readyz/m);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each model class takes its own data type
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'networking.k8s.io/v1/Ingress': Ingress,
  'batch/v1/Job': Job,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
};

function validateK8s(doc: Doc): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc).validate();
}

function yamlDocs(path: string): Doc[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Doc);
}

function kustomizations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name === 'kustomization.yaml') found.push(join(dir, entry.name));
    }
  };
  walk(K8S_DIR);
  return found;
}

/** Resource files referenced by a kustomization (not directories, which are other kustomizations). */
function referencedFiles(kustomizationPath: string): string[] {
  const k = yamlDocs(kustomizationPath)[0] ?? {};
  const dir = dirname(kustomizationPath);
  return [...(k.resources ?? []), ...(k.components ?? []), ...(k.patches ?? []).map((p: Doc) => p.path)].map(
    (p: string) => join(dir, p),
  );
}

function deepMerge(base: Doc, patch: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object'
        ? deepMerge(base[k], v)
        : v;
  }
  return out;
}

describe('infra/k8s', () => {
  it.each(kustomizations().map((p) => [p.slice(K8S_DIR.length + 1)]))(
    '%s references only files and directories that exist, each resource valid against the Kubernetes schema',
    (relative) => {
      const path = join(K8S_DIR, relative);
      for (const ref of referencedFiles(path)) {
        expect(existsSync(ref)).toBe(true);
        if (
          ref.endsWith('.yaml') &&
          !yamlDocs(path)[0]?.patches?.some((p: Doc) => join(dirname(path), p.path) === ref)
        ) {
          for (const doc of yamlDocs(ref)) expect(() => validateK8s(doc)).not.toThrow();
        }
      }
    },
  );

  it('runs the load generator as an Indexed Job, one shard per pod, writing results to the volume', () => {
    const job = yamlDocs(join(K8S_DIR, 'loadgen/job.yaml'))[0] as Doc;
    expect(() => validateK8s(job)).not.toThrow();
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const container = job.spec.template.spec.containers[0];
    const shards = container.env.find((e: Doc) => e.name === 'SHARDS').value;
    expect(Number(shards)).toBe(job.spec.completions);
    expect(container.args[0]).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
    expect(container.args[0]).toContain('--out "/results/shard-$JOB_COMPLETION_INDEX"');
    const broken = structuredClone(job);
    broken.spec.parallelism = 'four';
    expect(() => validateK8s(broken)).toThrow(/parallelism/);
  });

  it('rejects a Deployment with a wrongly typed field (the check can fail)', () => {
    const deployment = yamlDocs(join(K8S_DIR, 'base/deployment.yaml'))[0] as Doc;
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(() => validateK8s(broken)).toThrow(/containerPort/);
  });

  it.each(SETUPS.map((s) => [s.name, s] as const))(
    'has an overlay for setup %s with its app environment, Redis when it needs it, and a valid patched Ingress',
    (name, setup) => {
      const path = join(K8S_DIR, 'overlays', name, 'kustomization.yaml');
      const k = yamlDocs(path)[0] as Doc;
      const literals = Object.fromEntries(
        (k.configMapGenerator[0].literals as string[]).map((l) => l.split('=', 2)),
      );
      expect(literals).toEqual(setup.appEnv);
      expect((k.components ?? []).includes('../../components/redis')).toBe(setup.needsRedis);
      const baseIngress = yamlDocs(join(K8S_DIR, 'base/ingress.yaml'))[0] as Doc;
      let ingress = baseIngress;
      for (const p of k.patches ?? [])
        ingress = deepMerge(ingress, yamlDocs(join(dirname(path), p.path))[0] as Doc);
      expect(() => validateK8s(ingress)).not.toThrow();
      const annotations = ingress.metadata.annotations as Record<string, string>;
      expect(annotations['nginx.ingress.kubernetes.io/affinity'] === 'cookie').toBe(
        setup.routing === 'sticky',
      );
      expect('nginx.ingress.kubernetes.io/upstream-hash-by' in annotations).toBe(setup.routing === 'ip-hash');
    },
  );
});
