'use strict';
// Programmatic entry point: n8n itself loads the files named in package.json's "n8n" section.
const {
	MicrosoftGraphCalls,
} = require('./dist/nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node');
const {
	MicrosoftGraphCallsTrigger,
} = require('./dist/nodes/MicrosoftGraphCallsTrigger/MicrosoftGraphCallsTrigger.node');
const { MicrosoftGraphCallsApi } = require('./dist/credentials/MicrosoftGraphCallsApi.credentials');

module.exports = { MicrosoftGraphCalls, MicrosoftGraphCallsTrigger, MicrosoftGraphCallsApi };
