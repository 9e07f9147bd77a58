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
        message: `crosses a world boundary: only src/policy/ and src/shared/ may be shared (docs/architecture.md)`,
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

/**
 * Page-world rules (docs/security.md "Page-world code"): code in src/page runs after page scripts may
 * have replaced any built-in, so it uses no protocol a page can hook: iteration (for…of, spread, array
 * destructuring use Symbol.iterator and `next`), enumeration and `in` (they walk prototypes), `await` (it
 * looks up `constructor` and `then`), and no built-in method reached through a value's prototype:
 * built-ins are taken once in captured.ts and called through it.
 */
const PAGE_PROTOTYPE_METHODS = [
  'call', 'apply', 'bind', 'slice', 'map', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'push', 'pop',
  'shift', 'unshift', 'splice', 'concat', 'join', 'split', 'indexOf', 'lastIndexOf', 'includes', 'replace',
  'replaceAll', 'match', 'matchAll', 'test', 'exec', 'then', 'catch', 'finally', 'startsWith', 'endsWith', 'trim',
  'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'charAt', 'charCodeAt', 'substring', 'substr', 'sort',
  'reverse', 'fill', 'flat', 'flatMap', 'at', 'toJSON', 'toString', 'valueOf',
];
/** @param {string} message */
const pageWorld = (message) => [
  { selector: 'ForOfStatement', message: `for…of iterates with a page-replaceable protocol: ${message}` },
  { selector: 'ForInStatement', message: `for…in walks prototypes: ${message}` },
  { selector: 'SpreadElement', message: `spread iterates or copies through hookable protocols: ${message}` },
  { selector: 'ArrayPattern', message: `array destructuring iterates with a page-replaceable protocol: ${message}` },
  { selector: "BinaryExpression[operator='in']", message: `\`in\` consults the prototype chain: use hasOwn from captured.ts (${message})` },
  { selector: 'AwaitExpression', message: `await looks up constructor and then on promises: ${message}` },
  { selector: 'YieldExpression', message: `generators are iterators: ${message}` },
  {
    selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=/^(${PAGE_PROTOTYPE_METHODS.join('|')})$/]`,
    message: `a built-in method reached through a prototype: call it through captured.ts (${message})`,
  },
  {
    selector: "CallExpression[callee.object.name=/^(Object|Reflect|JSON|Array|Promise|String|Number|Symbol|Math)$/]",
    message: `a built-in taken at call time: take it once in captured.ts (${message})`,
  },
  {
    selector: "NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Promise|Proxy|Array|Object|Error|TypeError|CustomEvent|MutationObserver)$/]",
    message: `a built-in constructor taken at call time: take it once in captured.ts (${message})`,
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web-ext-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // Issue #18: no function over 80 lines in the product (every line of it, comments and blank lines included).
  { files: ['src/**', 'helper/**', 'options/**', 'build.mjs'], rules: { 'max-lines-per-function': ['error', { max: 80 }] } },
  { files: ['src/policy/**'], rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/shared/**'], rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/page/**'], rules: forbid(['content', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noExtensionApi, noNode]) },
  { files: ['src/page/**'], ignores: ['src/page/captured.ts'], rules: { 'no-restricted-syntax': ['error', ...pageWorld('runs after page scripts')] } },
  // captured.ts runs first, before any page script, and takes the built-ins: only the protocols stay out.
  { files: ['src/page/captured.ts'], rules: { 'no-restricted-syntax': ['error', ...pageWorld('runs after page scripts').slice(0, 7)] } },
  { files: ['src/content/**'], rules: forbid(['page', 'background', 'ui', 'options', 'test', 'helper', 'native-host'], [noNode]) },
  { files: ['src/background/**'], rules: forbid(['page', 'content', 'ui', 'options', 'test', 'helper', 'native-host'], [noNode]) },
  { files: ['options/**', 'src/ui/**'], rules: forbid(['page', 'content', 'background', 'test', 'helper', 'native-host'], [noNode]) },
  // The LAN helper is a Node program: the policy core's pure functions yes, extension code no; of
  // src/shared only its own protocol and the schema vocabulary that protocol is written in.
  {
    files: ['helper/**'],
    rules: forbid(['page', 'content', 'background', 'ui', 'options', 'test'], [
      noExtensionApi,
      { regex: '(^|/)shared/(?!(helper-protocol|schema)$)', message: 'the helper takes from src/shared only helper-protocol.ts and schema.ts' },
    ]),
  },
);
