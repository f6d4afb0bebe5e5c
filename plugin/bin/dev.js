#!/usr/bin/env node
// Development entry: also loads the dev plugins (command snapshot and JSON schemas).
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
