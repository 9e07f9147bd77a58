// @ts-check
// World boundaries (STYLE.md "The layout is the architecture"): each folder is one world or process,
// and nothing imports across worlds except src/policy/ (pure code) and src/shared/ (shared types).
import tseslint from 'typescript-eslint';

/**
 * @param {string[]} worlds folder names this world must not import from
 * @param {Array<{ regex: string, message: string }>} extra
 * @returns {import('eslint').Linter.RulesRecord}
 */
const forbid = (worlds, extra = []) => ({
  'no-restricted-imports': ['error', {
    patterns: [
      ...worlds.map((w) => ({
        regex: `(^|/)${w}(/|$)`,
        message: `crosses a world boundary: only src/policy/ and src/shared/ may be shared (STYLE.md)`,
      })),
      ...extra,
    ],
  }],
});
const noExtensionApi = {
  regex: '^webextension-polyfill$',
  message: 'extension APIs do not exist in this world',
};
const noNode = { regex: '^node:', message: 'Node built-ins do not exist in this world' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web-ext-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['src/policy/**'], rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/shared/**'], rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/page/**'], rules: forbid(['content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/content/**'], rules: forbid(['page', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noNode]) },
  { files: ['src/background/**'], rules: forbid(['page', 'content', 'ui', 'options', 'test', 'helper', 'native-host'], [noNode]) },
  { files: ['options/**', 'src/ui/**'], rules: forbid(['page', 'content', 'background', 'test', 'helper', 'native-host'], [noNode]) },
  // The LAN helper is a Node program: the policy core's pure functions yes, extension code no.
  { files: ['helper/**'], rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test', 'shared'], [noExtensionApi]) },
);
