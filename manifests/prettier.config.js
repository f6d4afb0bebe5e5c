// The repository's Prettier options plus what the Salesforce source here needs.
import root from '../.prettierrc.json' with { type: 'json' };

export default {
  ...root,
  overrides: [
    // LWC templates bind with unquoted {expressions}, which the plain HTML parser would quote.
    { files: 'force-app/**/lwc/**/*.html', options: { parser: 'lwc' } },
    // Generated and minified (scripts/build-static-resource.ts); only a file with a @format pragma is touched.
    { files: 'force-app/main/default/staticresources/**', options: { requirePragma: true } },
  ],
};
