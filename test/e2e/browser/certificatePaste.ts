/**
 * Pasting a certificate credential in the editor: a user copies a multi-line PEM key and certificate and
 * pastes them (clipboard, Ctrl+V, as a person does; not by setting the value) into the
 * credential modal, saves, and n8n's test of the saved credential must succeed.
 *
 * n8n 1.123 draws Private Key as a one-line password box, and Chromium removes the line breaks
 * from text pasted into it; n8n 2.41 draws a masked textarea that keeps them. The check records
 * which happened (it reads the field back), so a change in either n8n shows up here.
 */
import * as fs from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export interface CertificateApp {
	clientId: string;
	privateKeyPath: string;
	certificatePath: string;
}

export interface PasteTarget {
	url: string;
	credentialId: string;
	certificateApp: CertificateApp;
}

/** The text box (input or textarea) of a credential field, by the field's name. */
function fieldBox(modal: Locator, name: string): Locator {
	return modal.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
}

async function pasteInto(page: Page, box: Locator, text: string): Promise<string> {
	await page.evaluate(async (t) => {
		// No DOM lib in this tsconfig: the clipboard's shape, structurally.
		const nav = (
			globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
		).navigator;
		await nav.clipboard.writeText(t);
	}, text);
	await box.click();
	await box.press('ControlOrMeta+a');
	await box.press('ControlOrMeta+v');
	return await box.inputValue();
}

/**
 * Switches the simulator credential to Certificate with the dev certificate app, pastes the PEM
 * files and saves. Returns what the fields held after the paste, for the report.
 */
export async function pasteCertificateCredential(
	context: BrowserContext,
	page: Page,
	target: PasteTarget,
	assert: (condition: unknown, message: string) => asserts condition,
): Promise<string> {
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: target.url });
	const keyPem = fs.readFileSync(target.certificateApp.privateKeyPath, 'utf8');
	const certificatePem = fs.readFileSync(target.certificateApp.certificatePath, 'utf8');
	assert(keyPem.split('\n').length > 10, 'the key file is not a multi-line PEM');

	await page.goto(`${target.url}/home/credentials/${target.credentialId}`);
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor();
	await fieldBox(modal, 'clientId').waitFor();

	await fieldBox(modal, 'clientId').fill(target.certificateApp.clientId);
	await modal.getByTestId('parameter-input-authentication').click();
	// An element-plus option list (both lines); "Client Secret"'s description mentions
	// "Certificates & secrets", so match the option whose headline is exactly "Certificate".
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ has: page.getByText('Certificate', { exact: true }) })
		.first()
		.click();
	await fieldBox(modal, 'privateKey').waitFor();

	const keyValue = await pasteInto(page, fieldBox(modal, 'privateKey'), keyPem);
	const certificateValue = await pasteInto(page, fieldBox(modal, 'certificate'), certificatePem);
	assert(keyValue.includes('PRIVATE KEY'), 'the key did not arrive in the Private Key field');
	assert(certificateValue.includes('CERTIFICATE'), 'the certificate did not arrive');

	const tested = page.waitForResponse(
		(r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST',
		{ timeout: 90_000 },
	);
	await modal.getByTestId('credential-save-button').click();
	const body = (await (await tested).json()) as { data?: { status?: string; message?: string } };
	assert(
		body.data?.status === 'OK',
		`the test of the saved credential answered ${JSON.stringify(body)}`,
	);
	await modal.getByText('Connection tested successfully').waitFor({ timeout: 30_000 });
	// For the screenshot: the pasted fields rather than the top of the form.
	await fieldBox(modal, 'privateKey').scrollIntoViewIfNeeded();
	const lines = (v: string) => v.split('\n').length;
	return `Private Key field held ${lines(keyValue)} line(s) after the paste (the file has ${lines(keyPem.trim())}), Certificate ${lines(certificateValue)}; saved, test OK`;
}
