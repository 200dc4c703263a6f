#!/usr/bin/env node
'use strict';
// The `digits` command. Runs the compiled CLI (npm ci / npm run build produce dist/).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('digits: the CLI is not built (dist/ is missing); run `npm run build` in ' +
    path.join(__dirname, '..') + ' and try again\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2));
