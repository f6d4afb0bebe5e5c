#!/usr/bin/env node
// Runs the plugin standalone (`./plugin/bin/run.js social --help`), as `sf` runs it once linked.
// The commands are TypeScript that Node (>= 22.18) runs by stripping types: there is no build step.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
