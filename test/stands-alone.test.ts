/**
 * The project stands alone: no file it ships points at documents that live outside the repository (the
 * facts it relies on are copied into its own READMEs).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Spelled in pieces so that this file does not match itself.
const OUTSIDE = new RegExp(
  [
    '\\.\\./shared/[A-Z]',
    '/work/' + 'shared',
    ['CONTRACT', 'TIPS', 'STYLE'].map((n) => `${n}\\.md`).join('|'),
  ].join('|'),
);

describe('the project stands alone', () => {
  it('no tracked file points at documents outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && f !== 'package-lock.json' && !/\.(png|br|zip|sqlite)$/.test(f));
    const citing = files.filter((f) => {
      try {
        return OUTSIDE.test(readFileSync(`${root}/${f}`, 'utf8'));
      } catch {
        return false; // deleted in the working tree
      }
    });
    expect(citing).to.deep.equal([]);
  });
});
