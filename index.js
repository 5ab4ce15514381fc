'use strict';

// For programmatic use; n8n itself loads the files listed under "n8n" in package.json, and so does this.
const { n8n } = require('./package.json');

module.exports = Object.assign({}, ...[...n8n.credentials, ...n8n.nodes].map((file) => require(`./${file}`)));
