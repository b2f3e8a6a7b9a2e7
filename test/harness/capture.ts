/**
 * An opt-in recorder for secret scans. While a capture is active:
 * - runNode() hands it every output item and every error it returns;
 * - n8n's Logger (what n8n-core resolves through Container.get(Logger)) and n8n-workflow's
 *   LoggerProxy are replaced by one that keeps every line with its metadata;
 * - console.log/info/warn/error/debug are captured too (and still printed).
 * Nothing changes for tests that never start a capture.
 */
import { inspect } from 'node:util';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { observeRuns } from '../../harness/runNode';
import { LoggerProxy, type INodeExecutionData, type Logger as WorkflowLogger } from 'n8n-workflow';

export interface CapturedError {
	name: string;
	message: string;
	description?: string;
	stack?: string;
	/** Own enumerable properties (context, httpCode, facts, cause…), serialised without cycles. */
	serialised: string;
	/** Message and stack of every cause, up to five deep. */
	causes: string[];
}

export interface Capture {
	items: INodeExecutionData[];
	errors: CapturedError[];
	logLines: string[];
	/** Extra text a scenario wants scanned (credential test messages, dry-run output…). */
	extra: string[];
	/** Everything above as one text per entry, labelled. */
	texts(): { where: string; text: string }[];
}

let active: Capture | undefined;
let restore: (() => void) | undefined;

function safeSerialise(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return (
			JSON.stringify(value, (_key, entry: unknown) => {
				if (typeof entry === 'object' && entry !== null) {
					if (seen.has(entry)) return '[cycle]';
					seen.add(entry);
				}
				if (typeof entry === 'bigint') return entry.toString();
				return entry;
			}) ?? ''
		);
	} catch {
		return inspect(value, { depth: 8 });
	}
}

function captureError(error: Error): CapturedError {
	const causes: string[] = [];
	let cause: unknown = (error as { cause?: unknown }).cause;
	for (let depth = 0; depth < 5 && cause; depth++) {
		causes.push(
			cause instanceof Error
				? `${cause.message}\n${cause.stack ?? ''}\n${safeSerialise(cause)}`
				: safeSerialise(cause),
		);
		cause = (cause as { cause?: unknown }).cause;
	}
	return {
		name: error.name,
		message: error.message,
		description: (error as { description?: string }).description ?? undefined,
		stack: error.stack,
		serialised: `${safeSerialise(error)}\n${inspect(error, { depth: 6 })}`,
		causes,
	};
}

function capturingLogger(capture: Capture): WorkflowLogger & { scoped(): unknown } {
	const line = (level: string) => (message: string, metadata?: unknown) => {
		capture.logLines.push(
			`${level} ${message} ${metadata === undefined ? '' : safeSerialise(metadata)}`,
		);
	};
	const logger = {
		error: line('error'),
		warn: line('warn'),
		info: line('info'),
		debug: line('debug'),
		scoped: () => logger,
	};
	return logger;
}

export function startCapture(): Capture {
	if (active) throw new Error('A capture is already running.');
	observeRuns(recordRun);
	const capture: Capture = {
		items: [],
		errors: [],
		logLines: [],
		extra: [],
		texts() {
			return [
				...this.items.map((item, index) => ({
					where: `output item ${index}`,
					text: safeSerialise(item),
				})),
				...this.errors.flatMap((error, index) => [
					{ where: `error ${index} message`, text: error.message },
					{ where: `error ${index} description`, text: error.description ?? '' },
					{ where: `error ${index} stack`, text: error.stack ?? '' },
					{ where: `error ${index} properties`, text: error.serialised },
					...error.causes.map((text, depth) => ({ where: `error ${index} cause ${depth}`, text })),
				]),
				...this.logLines.map((text, index) => ({ where: `log line ${index}`, text })),
				...this.extra.map((text, index) => ({ where: `extra ${index}`, text })),
			];
		},
	};
	const logger = capturingLogger(capture);
	const previousLogger = Container.has(Logger) ? Container.get(Logger) : undefined;
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger);
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const originals = consoleMethods.map((name) => console[name]);
	consoleMethods.forEach((name, index) => {
		console[name] = (...args: unknown[]) => {
			capture.logLines.push(
				`console.${name} ${args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 6 }))).join(' ')}`,
			);
			originals[index].apply(console, args);
		};
	});
	restore = () => {
		consoleMethods.forEach((name, index) => (console[name] = originals[index]));
		if (previousLogger) {
			Container.set(Logger, previousLogger);
			LoggerProxy.init(previousLogger);
		}
	};
	active = capture;
	return capture;
}

export function stopCapture(): void {
	observeRuns(undefined);
	restore?.();
	restore = undefined;
	active = undefined;
}

/** Given every run's result by runNode while a capture is active. */
function recordRun(result: { output?: INodeExecutionData[][]; error?: Error }): void {
	if (!active) return;
	for (const output of result.output ?? []) active.items.push(...output);
	if (result.error) active.errors.push(captureError(result.error));
}
