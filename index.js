// The package's `main`: lets code that requires 'n8n-nodes-letta' reach the built
// node and credential classes. n8n itself loads them through package.json's "n8n" section.
const { LettaCommunityApi } = require('./dist/credentials/LettaCommunityApi.credentials');
const {
	LettaSendAgentMessage,
} = require('./dist/nodes/LettaSendAgentMessage/LettaSendAgentMessage.node');
const {
	LettaSendToEnvironment,
} = require('./dist/nodes/LettaSendToEnvironment/LettaSendToEnvironment.node');
const { LettaTrigger } = require('./dist/nodes/LettaTrigger/LettaTrigger.node');

module.exports = { LettaCommunityApi, LettaSendAgentMessage, LettaSendToEnvironment, LettaTrigger };
