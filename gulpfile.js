const { rm } = require('node:fs/promises');
const { src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; icons and codex files are copied beside the compiled nodes.
function copyIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

// Removes an older build, so the package ships only what this build made.
function clean() {
	return rm('dist', { recursive: true, force: true });
}

exports.clean = clean;
exports['build:assets'] = parallel(copyIcons, copyCodex);
exports.default = exports['build:assets'];
