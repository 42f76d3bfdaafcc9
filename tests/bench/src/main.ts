// `npm run bench [-- --quick] [-- --json FILE] [-- --only pipeline,ledger,…] [-- --profile |
// --no-profile]`: every path of issue #14 measured next to a baseline taken in the same run,
// printed as one table, the pipeline's CPU profiles under it (by default in the full run only).
// Figures are printed, never asserted. Run through infra/with-infra.mjs (the root script does).
import fs from 'node:fs';
import { benchEmbedded } from './embedded';
import { benchLedger } from './ledger';
import { benchPipeline, type Scale } from './pipeline';
import { loadAverage } from './proc';
import { formatProfiles } from './profile';
import { benchReconciliation } from './reconcile';
import { formatTable, toJson, type Figure } from './table';

const PATHS: Record<string, (scale: Scale) => Promise<Figure[]>> = {
  pipeline: benchPipeline,
  ledger: benchLedger,
  reconciliation: benchReconciliation,
  embedded: benchEmbedded,
};

interface Args {
  quick: boolean;
  json: string | null;
  only: string[];
  /** CPU profiles of the pipeline's processes: on in the full run unless --no-profile. */
  profile: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, json: null, only: Object.keys(PATHS), profile: false };
  let profile: boolean | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--profile') profile = true;
    else if (a === '--no-profile') profile = false;
    else if (a === '--json') args.json = argv[++i] ?? null;
    else if (a.startsWith('--json=')) args.json = a.slice('--json='.length);
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else
      throw new Error(
        `bench: unknown argument ${a} (use --quick, --json FILE, --only a,b, --profile, --no-profile)`,
      );
  }
  args.profile = profile ?? !args.quick;
  for (const name of args.only) {
    if (!PATHS[name]) throw new Error(`bench: no path ${name} (${Object.keys(PATHS).join(', ')})`);
  }
  return args;
}

/** A path that fails shows as one row saying so; the others still run. */
function failed(name: string, err: unknown): Figure {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return {
    path: `${name}: failed`,
    value: null,
    unit: '',
    baseline: null,
    baselineValue: null,
    goal: '—',
    note: message,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string) =>
    process.stderr.write(
      `bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s: ${line}\n`,
    );
  const scale: Scale = { quick: args.quick, profile: args.profile, log };
  log(
    `${args.quick ? 'quick' : 'full'} run of ${args.only.join(', ')}${args.profile ? ', pipeline profiled' : ''}; load average ${loadAverage()}`,
  );
  const figures: Figure[] = [];
  const loads: string[] = [];
  for (const name of args.only) {
    try {
      figures.push(...(await PATHS[name]!(scale)));
    } catch (err) {
      log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      figures.push(failed(name, err));
    }
    loads.push(`${name} ${loadAverage()}`);
  }
  const header = `npm run bench${args.quick ? ' -- --quick' : ''} · ${new Date().toISOString()} · node ${process.version} · ${((Date.now() - started) / 1000).toFixed(0)} s · load average after each path: ${loads.join('; ')}`;
  const profiles = figures.flatMap((f) =>
    f.profile ? [{ process: f.path.replace(/^pipeline: CPU /, ''), summary: f.profile }] : [],
  );
  const block = formatProfiles(profiles);
  console.log(`\n${header}\n\n${formatTable(figures)}\n${block ? `\n${block}\n` : ''}`);
  if (args.json) {
    fs.writeFileSync(args.json, `${JSON.stringify(toJson(figures), null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
