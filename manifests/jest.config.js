// Jest for the Lightning web components (`npm run test:lwc -w manifests`): sfdx-lwc-jest's config, which
// compiles LWC and stubs the lightning/* and @salesforce/* modules.
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

export default {
  ...sfdxLwcJest.jestConfig,
  testMatch: ['<rootDir>/force-app/**/lwc/**/__tests__/**/*.test.js'],
};
