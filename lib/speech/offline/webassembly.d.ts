/**
 * The parts of the WebAssembly JS API the offline engine uses. TypeScript declares them only in
 * lib.dom and lib.webworker, which an n8n node package does not compile with, and @types/node
 * 20 does not declare them at all.
 */
declare namespace WebAssembly {
	type ImportValue = ((...args: never[]) => unknown) | Memory | number;
	type Imports = Record<string, Record<string, ImportValue>>;
	type ExportValue = ((...args: never[]) => unknown) | Memory | Global | Table;
	type Exports = Record<string, ExportValue>;
	interface ModuleImportDescriptor {
		kind: 'function' | 'global' | 'memory' | 'table' | 'tag';
		module: string;
		name: string;
	}
	class Module {
		constructor(bytes: ArrayBufferView | ArrayBuffer);
		static imports(module: Module): ModuleImportDescriptor[];
	}
	class Instance {
		constructor(module: Module, imports?: Imports);
		readonly exports: Exports;
	}
	class Memory {
		constructor(descriptor: { initial: number; maximum?: number });
		readonly buffer: ArrayBuffer;
	}
	class Global {
		value: unknown;
	}
	class Table {
		readonly length: number;
	}
	function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}
