// The repository's ESLint config plus what the Salesforce source here needs. ESLint looks a config up from
// each linted file's folder, so this one applies to manifests/ from the root (`eslint .`) too.
import globals from 'globals';
import root from '../eslint.config.js';

export default [
  ...root,
  // Generated from ui-components by scripts/build-static-resource.ts (minified; linted at its source).
  { ignores: ['force-app/main/default/staticresources/**'] },
  // Lightning web components: browser JavaScript; Jest tests next to them, as sfdx-lwc-jest expects.
  {
    files: ['force-app/**/lwc/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'jest.config.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
  },
];
