'use strict';

// For programmatic use; n8n itself loads the files listed under "n8n" in package.json.
module.exports = {
	...require('./dist/credentials/ZohoSalesIqOAuth2Api.credentials'),
	...require('./dist/nodes/ZohoSalesIq/ZohoSalesIq.node'),
	...require('./dist/nodes/ZohoSalesIq/ZohoSalesIqTrigger.node'),
};
