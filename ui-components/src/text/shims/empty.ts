// twitter-text's ES build imports core-js 2 polyfills for ES5 engines; every browser the components
// support has these natively, so the bundle and the test server map each `core-js/*` import here.
export {};
