// `npm run build:watch`: n8n-node build copies icons once and only tsc watches, so
// during development an edited icon or codex file (*.node.json) would stay stale in
// dist. These tasks keep those assets in step while tsc recompiles the code.
const { spawn } = require('node:child_process');
const { dest, parallel, series, src, watch } = require('gulp');

const ASSETS = ['icons/**/*.{svg,png}', 'nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'];

function copyAssets() {
	return src(ASSETS, { base: '.', encoding: false }).pipe(dest('dist'));
}

function watchAssets() {
	watch(ASSETS, copyAssets);
}

function compileOnChange() {
	return spawn(
		process.execPath,
		[require.resolve('typescript/bin/tsc'), '--watch', '--preserveWatchOutput'],
		{
			stdio: 'inherit',
			shell: false,
		},
	);
}

exports.assets = copyAssets;
exports.watch = parallel(series(copyAssets, watchAssets), compileOnChange);
exports.default = copyAssets;
