// The Node.js release is named in three places that must agree: infra/node.mjs (what CI tests
// run on), the Dockerfile's base image (what production runs) and package.json (engines, and
// @types/node, which follows the oldest supported major so tsc refuses an API it lacks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

function pinnedNode(): string {
  const match = /export const NODE_VERSION = '(\d+\.\d+\.\d+)'/.exec(read('infra/node.mjs'));
  if (!match) throw new Error('no NODE_VERSION in infra/node.mjs');
  return match[1]!;
}

function imageNode(): string {
  const match = /^ARG NODE_IMAGE=node:(\S+)-bookworm-slim$/m.exec(read('Dockerfile'));
  if (!match) throw new Error('no ARG NODE_IMAGE=node:<version>-bookworm-slim in the Dockerfile');
  return match[1]!;
}

interface RootPackage {
  engines: { node: string };
  devDependencies: Record<string, string>;
}
const rootPackage = (): RootPackage => JSON.parse(read('package.json')) as RootPackage;

/** The majors package.json's engines admits, each with its lowest minor: "^20.19.0 || ^22.12.0". */
function engineRanges(): { major: number; minor: number }[] {
  return rootPackage()
    .engines.node.split('||')
    .map((range) => /^\^(\d+)\.(\d+)\.\d+$/.exec(range.trim()))
    .map((m) => {
      if (!m) throw new Error(`engines.node: only ^major.minor.patch ranges are expected`);
      return { major: Number(m[1]), minor: Number(m[2]) };
    });
}

describe('the Node.js version', () => {
  test('the image runs exactly the release the CI tests run on', () => {
    expect(imageNode()).toBe(pinnedNode());
  });

  test('engines admits that release', () => {
    const [major, minor] = pinnedNode().split('.').map(Number);
    const range = engineRanges().find((r) => r.major === major);
    expect(range).toBeDefined();
    expect(minor).toBeGreaterThanOrEqual(range!.minor);
  });

  test('@types/node is of the oldest major engines admits (development on it keeps working)', () => {
    const oldest = Math.min(...engineRanges().map((r) => r.major));
    expect(rootPackage().devDependencies['@types/node']).toMatch(new RegExp(`^${oldest}\\.`));
  });
});
