/**
 * A minimal in-memory WASI (preview1) host for one run of a command-style WebAssembly module:
 * here Flite, which writes its WAV to a file. Files, stdout and stderr live in this object.
 *
 * Why not Node's `node:wasi`: in Node 20 it is experimental (it prints a warning), it can only
 * preopen real directories (temp files and their clean-up), and it ABORTS THE WHOLE PROCESS
 * (SIGABRT, no JavaScript error) when Flite writes a render of about 500 characters or more
 * with the slt or rms voice to the preopened directory. In n8n that would kill the instance.
 *
 * Flite imports 13 WASI functions, all implemented here: args_get, args_sizes_get,
 * clock_time_get, fd_close, fd_fdstat_get, fd_fdstat_set_flags, fd_prestat_get,
 * fd_prestat_dir_name, fd_read, fd_seek, fd_write, path_open, proc_exit. Any other import
 * answers ENOSYS. There is no environment, no network, stdin is empty, and path_open cannot
 * leave the one preopened directory.
 */

/** WASI errno values (preview1). */
const ERRNO = {
	success: 0,
	badf: 8,
	exist: 20,
	fbig: 22,
	inval: 28,
	isdir: 31,
	noent: 44,
	nosys: 52,
	notdir: 54,
	spipe: 70,
	notcapable: 76,
} as const;

const FILETYPE = { characterDevice: 2, directory: 3, regularFile: 4 } as const;
const OFLAGS = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
const FDFLAGS_APPEND = 1;
const ALL_RIGHTS = 0x1fffffffn;
const PREOPEN_FD = 3;

/** Thrown by proc_exit to unwind the guest; caught by `run`. */
class ProcExit {
	constructor(readonly code: number) {}
}

/** A growable in-memory file. */
class MemoryFile {
	private buffer = new Uint8Array(64 * 1024);
	size = 0;

	write(at: number, data: Uint8Array): void {
		const end = at + data.length;
		if (end > this.buffer.length) {
			let capacity = this.buffer.length * 2;
			while (capacity < end) capacity *= 2;
			const grown = new Uint8Array(capacity);
			grown.set(this.buffer.subarray(0, this.size));
			this.buffer = grown;
		}
		this.buffer.set(data, at);
		this.size = Math.max(this.size, end);
	}

	read(at: number, into: Uint8Array): number {
		if (at >= this.size) return 0;
		const count = Math.min(into.length, this.size - at);
		into.set(this.buffer.subarray(at, at + count));
		return count;
	}

	contents(): Uint8Array {
		return this.buffer.slice(0, this.size);
	}
}

type OpenEntry =
	| { kind: 'stdin' | 'stdout' | 'stderr' }
	| { kind: 'dir'; path: string }
	| { kind: 'file'; file: MemoryFile; position: number; append: boolean };

export interface MemoryWasiOptions {
	/** argv, including argv[0]. */
	args: readonly string[];
	/** The one preopened directory (default "/work"). */
	preopenDir?: string;
	/** Bytes kept of stdout and of stderr each (default 64 KiB); the rest is dropped. */
	maxOutputBytes?: number;
	/** Largest file the guest may write (default 512 MiB): a runaway write fails with EFBIG. */
	maxFileBytes?: number;
}

export interface MemoryWasiResult {
	exitCode: number;
	stderr: string;
	/** Every file the guest left in the directory, by absolute path. */
	files: Map<string, Uint8Array>;
	/** Size of the instance's linear memory at the end (its peak: wasm memory never shrinks). */
	memoryBytes: number;
}

type WasiFunction = (...args: never[]) => number | void;

export class MemoryWasi {
	private readonly preopen: string;
	private readonly files = new Map<string, MemoryFile>();
	private readonly fds = new Map<number, OpenEntry>([
		[0, { kind: 'stdin' }],
		[1, { kind: 'stdout' }],
		[2, { kind: 'stderr' }],
	]);
	private nextFd = PREOPEN_FD + 1;
	private memory: WebAssembly.Memory | undefined;
	private readonly output: [number[], number[]] = [[], []];
	private readonly maxOutput: number;
	private readonly maxFile: number;
	private readonly encoder = new TextEncoder();
	private readonly decoder = new TextDecoder('utf-8');

	constructor(private readonly options: MemoryWasiOptions) {
		this.preopen = (options.preopenDir ?? '/work').replace(/\/+$/, '') || '/';
		this.fds.set(PREOPEN_FD, { kind: 'dir', path: this.preopen });
		this.maxOutput = options.maxOutputBytes ?? 64 * 1024;
		this.maxFile = options.maxFileBytes ?? 512 * 1024 * 1024;
	}

	/** Instantiates `module` and runs its `_start` to completion (synchronously). */
	run(module: WebAssembly.Module): MemoryWasiResult {
		const instance = new WebAssembly.Instance(module, this.imports(module));
		const { memory, _start: start } = instance.exports;
		if (!(memory instanceof WebAssembly.Memory) || typeof start !== 'function') {
			throw new Error('Not a WASI command module (it needs an exported memory and _start).');
		}
		this.memory = memory;
		let stopped: unknown;
		try {
			(start as () => void)();
		} catch (error) {
			stopped = error;
		} finally {
			this.memory = undefined;
		}
		// proc_exit unwinds the guest with ProcExit; anything else is a real failure (a trap).
		if (stopped !== undefined && !(stopped instanceof ProcExit)) throw stopped;
		const exitCode = stopped instanceof ProcExit ? stopped.code : 0;
		const files = new Map<string, Uint8Array>();
		for (const [path, file] of this.files) files.set(path, file.contents());
		return {
			exitCode,
			stderr: this.decoder.decode(Uint8Array.from(this.output[1])),
			files,
			memoryBytes: memory.buffer.byteLength,
		};
	}

	private imports(module: WebAssembly.Module): WebAssembly.Imports {
		const implemented = this.functions();
		const wasi: Record<string, WasiFunction> = {};
		for (const wanted of WebAssembly.Module.imports(module)) {
			if (wanted.kind !== 'function') continue;
			if (wanted.module !== 'wasi_snapshot_preview1')
				throw new Error(`Unsupported import module "${wanted.module}" (${wanted.name}).`);
			wasi[wanted.name] = implemented[wanted.name] ?? ((): number => ERRNO.nosys);
		}
		return { wasi_snapshot_preview1: wasi };
	}

	private view(): DataView {
		if (!this.memory) throw new Error('WASI call outside run().');
		return new DataView(this.memory.buffer);
	}

	private bytes(): Uint8Array {
		if (!this.memory) throw new Error('WASI call outside run().');
		return new Uint8Array(this.memory.buffer);
	}

	/** Resolves a guest path inside the preopened directory; undefined when it would leave it. */
	private resolve(directory: string, relative: string): string | undefined {
		const parts = relative.startsWith('/') ? [] : directory.split('/').filter(Boolean);
		for (const segment of relative.split('/')) {
			if (segment === '' || segment === '.') continue;
			if (segment !== '..') parts.push(segment);
			else if (parts.pop() === undefined) return undefined;
		}
		const absolute = `/${parts.join('/')}`;
		const inside =
			absolute === this.preopen ||
			absolute.startsWith(this.preopen === '/' ? '/' : `${this.preopen}/`);
		return inside ? absolute : undefined;
	}

	private iovecs(pointer: number, count: number): Array<[number, number]> {
		const dv = this.view();
		return Array.from({ length: count }, (_, i): [number, number] => [
			dv.getUint32(pointer + i * 8, true),
			dv.getUint32(pointer + i * 8 + 4, true),
		]);
	}

	private functions(): Record<string, WasiFunction> {
		const argBytes = this.options.args.map((arg) => this.encoder.encode(`${arg}\0`));
		const preopenName = this.encoder.encode(this.preopen);
		return {
			args_sizes_get: (argcPointer: number, sizePointer: number): number => {
				const dv = this.view();
				dv.setUint32(argcPointer, argBytes.length, true);
				dv.setUint32(
					sizePointer,
					argBytes.reduce((sum, arg) => sum + arg.length, 0),
					true,
				);
				return ERRNO.success;
			},
			args_get: (argvPointer: number, bufferPointer: number): number => {
				const dv = this.view();
				let at = bufferPointer;
				argBytes.forEach((arg, i) => {
					dv.setUint32(argvPointer + i * 4, at, true);
					this.bytes().set(arg, at);
					at += arg.length;
				});
				return ERRNO.success;
			},
			// Flite reads the clock only for its own timing output: wall time is good enough.
			clock_time_get: (_id: number, _precision: bigint, timePointer: number): number => {
				this.view().setBigUint64(timePointer, BigInt(Date.now()) * 1_000_000n, true);
				return ERRNO.success;
			},
			proc_exit: (code: number): void => {
				throw new ProcExit(code);
			},
			fd_prestat_get: (fd: number, pointer: number): number => {
				if (fd !== PREOPEN_FD) return ERRNO.badf;
				const dv = this.view();
				dv.setUint8(pointer, 0);
				dv.setUint32(pointer + 4, preopenName.length, true);
				return ERRNO.success;
			},
			fd_prestat_dir_name: (fd: number, pointer: number, length: number): number => {
				if (fd !== PREOPEN_FD) return ERRNO.badf;
				if (length < preopenName.length) return ERRNO.inval;
				this.bytes().set(preopenName, pointer);
				return ERRNO.success;
			},
			fd_fdstat_get: (fd: number, pointer: number): number => {
				const entry = this.fds.get(fd);
				if (!entry) return ERRNO.badf;
				const dv = this.view();
				dv.setUint8(
					pointer,
					entry.kind === 'dir'
						? FILETYPE.directory
						: entry.kind === 'file'
							? FILETYPE.regularFile
							: FILETYPE.characterDevice,
				);
				dv.setUint16(pointer + 2, entry.kind === 'file' && entry.append ? FDFLAGS_APPEND : 0, true);
				dv.setBigUint64(pointer + 8, ALL_RIGHTS, true);
				dv.setBigUint64(pointer + 16, ALL_RIGHTS, true);
				return ERRNO.success;
			},
			fd_fdstat_set_flags: (fd: number, flags: number): number => {
				const entry = this.fds.get(fd);
				if (!entry) return ERRNO.badf;
				if (entry.kind === 'file') entry.append = (flags & FDFLAGS_APPEND) !== 0;
				return ERRNO.success;
			},
			fd_close: (fd: number): number => {
				if (!this.fds.has(fd)) return ERRNO.badf;
				if (fd > PREOPEN_FD) this.fds.delete(fd);
				return ERRNO.success;
			},
			fd_seek: (fd: number, offset: bigint, whence: number, resultPointer: number): number => {
				const entry = this.fds.get(fd);
				if (!entry) return ERRNO.badf;
				if (entry.kind !== 'file') return ERRNO.spipe;
				const base = [0n, BigInt(entry.position), BigInt(entry.file.size)][whence];
				if (base === undefined) return ERRNO.inval;
				const next = base + BigInt(offset);
				if (next < 0n || next > BigInt(this.maxFile)) return ERRNO.inval;
				entry.position = Number(next);
				this.view().setBigUint64(resultPointer, next, true);
				return ERRNO.success;
			},
			fd_read: (fd: number, iovs: number, count: number, resultPointer: number): number => {
				const entry = this.fds.get(fd);
				if (!entry) return ERRNO.badf;
				let total = 0;
				if (entry.kind === 'file') {
					for (const [pointer, length] of this.iovecs(iovs, count)) {
						const read = entry.file.read(
							entry.position,
							this.bytes().subarray(pointer, pointer + length),
						);
						entry.position += read;
						total += read;
						if (read < length) break;
					}
				} else if (entry.kind !== 'stdin') return ERRNO.badf;
				this.view().setUint32(resultPointer, total, true);
				return ERRNO.success;
			},
			fd_write: (fd: number, iovs: number, count: number, resultPointer: number): number => {
				const entry = this.fds.get(fd);
				if (!entry) return ERRNO.badf;
				let total = 0;
				for (const [pointer, length] of this.iovecs(iovs, count)) {
					const chunk = this.bytes().subarray(pointer, pointer + length);
					if (entry.kind === 'file') {
						const at = entry.append ? entry.file.size : entry.position;
						if (at + length > this.maxFile) return ERRNO.fbig;
						entry.file.write(at, chunk);
						entry.position = at + length;
					} else if (entry.kind === 'stdout' || entry.kind === 'stderr') {
						const sink = this.output[entry.kind === 'stdout' ? 0 : 1];
						const room = Math.max(0, this.maxOutput - sink.length);
						for (let i = 0; i < Math.min(room, chunk.length); i++) sink.push(chunk[i] as number);
					} else return ERRNO.badf;
					total += length;
				}
				this.view().setUint32(resultPointer, total, true);
				return ERRNO.success;
			},
			path_open: (
				dirFd: number,
				_dirFlags: number,
				pathPointer: number,
				pathLength: number,
				oflags: number,
				_rightsBase: bigint,
				_rightsInheriting: bigint,
				fdflags: number,
				fdPointer: number,
			): number => {
				const directory = this.fds.get(dirFd);
				if (!directory) return ERRNO.badf;
				if (directory.kind !== 'dir') return ERRNO.notdir;
				const relative = this.decoder.decode(
					this.bytes().slice(pathPointer, pathPointer + pathLength),
				);
				const path = this.resolve(directory.path, relative);
				if (path === undefined) return ERRNO.notcapable;
				let entry: OpenEntry;
				if (path === this.preopen) {
					if ((oflags & OFLAGS.creat) !== 0) return ERRNO.isdir;
					entry = { kind: 'dir', path };
				} else {
					// One flat directory: there are no subdirectories to open.
					if ((oflags & OFLAGS.directory) !== 0) return ERRNO.notdir;
					let file = this.files.get(path);
					if (file && (oflags & OFLAGS.creat) !== 0 && (oflags & OFLAGS.excl) !== 0)
						return ERRNO.exist;
					if (!file || (oflags & OFLAGS.trunc) !== 0) {
						if (!file && (oflags & OFLAGS.creat) === 0) return ERRNO.noent;
						file = new MemoryFile();
						this.files.set(path, file);
					}
					entry = { kind: 'file', file, position: 0, append: (fdflags & FDFLAGS_APPEND) !== 0 };
				}
				const fd = this.nextFd++;
				this.fds.set(fd, entry);
				this.view().setUint32(fdPointer, fd, true);
				return ERRNO.success;
			},
		};
	}
}
