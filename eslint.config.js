// Lint rules; the engine stays pure: no Office, ExcelJS, Node I/O or DOM inside src/engine.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['lib/**', 'dist/**', 'out/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'node:fs', 'path', 'node:path', 'exceljs', 'office-js', '@microsoft/office-js',
          '@microsoft/office-js-helpers', 'csv-parse', 'csv-parse/sync', 'child_process', 'os'],
        patterns: ['../xlsx/*', '../excel/*', '../cli/*', '../taskpane/*', '../commands/*', '../csv/*', 'node:*'],
      }],
      'no-restricted-globals': ['error', 'document', 'window', 'navigator', 'Excel', 'Office'],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'The engine is deterministic: pass "now" in.' },
        { object: 'Math', property: 'random', message: 'The engine is deterministic.' }],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);
