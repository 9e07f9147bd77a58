// Contrast of IceGuard's pages in both themes, read from the style sheets themselves: text 4.5:1
// (WCAG 2.2 SC 1.4.3) and the borders, fills and focus rings that make a control recognisable 3:1
// (SC 1.4.11). Each pair names the rule a colour comes from, so a rule that switches to another
// variable is checked with that variable, and a rule or variable that goes missing fails the test.
import { describe, expect, it } from 'vitest';
import { contrast, luminance, parseHex, readRules, themeVariables, variableOf, variablesUsed, type Rule } from './css-colours';

const FILES = { ui: 'src/ui/ui.css', popup: 'src/ui/popup/popup.css', prompt: 'src/ui/prompt/prompt.css', options: 'options/options.css' };
type Sheet = keyof typeof FILES;
const RULES = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readRules(f)])) as Record<Sheet, Rule[]>;
const DARK = '@media (prefers-color-scheme: dark)';
const THEMES = { light: themeVariables(RULES.ui, null), dark: themeVariables(RULES.ui, DARK) };

/** A colour: a variable by name, or the variable a rule's declaration uses. */
type Source = string | [Sheet, string, string];
const from = (s: Source): string => (typeof s === 'string' ? s : variableOf(RULES[s[0]], s[1], s[2]));

const TEXT = 4.5;
const CONTROL = 3;
const PAGE: Source = ['ui', 'body', 'background'];
const BUTTON: Source = ['ui', 'button', 'background'];
const NOW: Source = ['popup', '.now', 'background'];

/** [what, foreground, background, minimum]. Text that inherits its colour (buttons, body) names --fg. */
const PAIRS: [string, Source, Source, number][] = [
  ['body text', ['ui', 'body', 'color'], PAGE, TEXT],
  ['muted text', ['ui', '.muted', 'color'], PAGE, TEXT],
  ['error text', ['ui', '.error', 'color'], PAGE, TEXT],
  ['button label', '--fg', BUTTON, TEXT],
  ['primary button label', ['ui', 'button.primary', 'color'], ['ui', 'button.primary', 'background'], TEXT],
  ['danger button label', ['ui', 'button.danger', 'color'], BUTTON, TEXT],
  ['button border on the page', ['ui', 'button', 'border'], PAGE, CONTROL],
  ['button border on a panel', ['ui', 'button', 'border'], BUTTON, CONTROL],
  ['primary button fill on the page', ['ui', 'button.primary', 'background'], PAGE, CONTROL],
  ['field border', ['ui', 'select, input[type="text"], input[type="search"]', 'border'], ['ui', 'select, input[type="text"], input[type="search"]', 'background'], CONTROL],
  ['field border on the page', ['ui', 'select, input[type="text"], input[type="search"]', 'border'], PAGE, CONTROL],
  ['focus ring on the page', ['ui', ':focus-visible', 'outline'], PAGE, CONTROL],
  ['focus ring on a panel', ['ui', ':focus-visible', 'outline'], BUTTON, CONTROL],
  ['popup: mode label in its box', ['popup', '.now .label', 'color'], NOW, TEXT],
  ['popup: note in the mode box', ['popup', '.note', 'color'], NOW, TEXT],
  ['popup: link in the mode box', ['popup', 'button.link', 'color'], NOW, TEXT],
  ['popup: link on the page', ['popup', 'button.link', 'color'], PAGE, TEXT],
  ['popup: counter labels', ['popup', '.stats dt', 'color'], PAGE, TEXT],
  ['popup: help of the picked choice', ['popup', '.choice .help', 'color'], ['popup', '.choice:has(input:checked)', 'background'], TEXT],
  ['popup: why a choice is off', ['popup', '.choice .why', 'color'], PAGE, TEXT],
  ['popup: status line', '--fg', ['popup', '.status', 'background'], TEXT],
  ['popup: picked radio on its row', ['popup', '.choice input', 'accent-color'], ['popup', '.choice:has(input:checked)', 'background'], CONTROL],
  ['options: help text', ['options', '.help', 'color'], PAGE, TEXT],
  ['options: caution', ['options', '.caution', 'color'], PAGE, TEXT],
  ['options: organisation note', ['options', '.sites li .org', 'color'], PAGE, TEXT],
  ['options: notice heading', ['options', '.notice h2', 'color'], ['options', '.notice', 'background'], TEXT],
  ['options: code', '--fg', ['options', 'code', 'background'], TEXT],
  ['options: locked labels', ['options', 'fieldset:disabled label, input:disabled + label', 'color'], PAGE, TEXT],
];

describe('WCAG contrast arithmetic', () => {
  it('matches the spec’s end points and a known pair', () => {
    expect(luminance('#ffffff')).toBe(1);
    expect(luminance('#000')).toBe(0);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic grey that just fails 4.5
    expect(contrast('#ffffff', '#777777')).toBe(contrast('#777777', '#ffffff'));
  });

  it('refuses a colour it cannot read rather than guessing', () => {
    expect(() => parseHex('rgb(0 0 0)')).toThrow(/not a #rgb/);
    expect(parseHex('#1a56C4')).toEqual([0x1a, 0x56, 0xc4]);
  });
});

describe('the style sheets', () => {
  it('declare the same colour variables in the light and the dark theme, and every one used', () => {
    expect(THEMES.light.size).toBeGreaterThan(5);
    expect([...THEMES.dark.keys()].sort()).toEqual([...THEMES.light.keys()].sort());
    for (const sheet of Object.keys(FILES) as Sheet[]) {
      for (const name of variablesUsed(RULES[sheet])) expect(THEMES.light.has(name), `${FILES[sheet]} uses ${name}`).toBe(true);
    }
  });
});

describe.each(Object.keys(THEMES) as (keyof typeof THEMES)[])('%s theme', (theme) => {
  const colour = (name: string): string => {
    const value = THEMES[theme].get(name);
    if (value === undefined) throw new Error(`${theme} theme: ${name} is not declared`);
    return value;
  };

  it.each(PAIRS)('%s', (_what, fg, bg, min) => {
    const [f, b] = [from(fg), from(bg)];
    const ratio = contrast(colour(f), colour(b));
    expect(ratio, `${f} ${colour(f)} on ${b} ${colour(b)}: ${ratio.toFixed(2)}:1, needs ${min}:1`).toBeGreaterThanOrEqual(min);
  });
});
