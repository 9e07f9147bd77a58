// What a fuzz run covered: per axis value, how many programs that used it were executed and how many
// of those were inert (no raw address even without the extension, so they tested nothing).
import { AXES, axisValues, type AxisName, type Program } from './program';

export type Verdict = 'pass' | 'hit' | 'inert' | 'suspect' | 'error';

export class Coverage {
  readonly verdicts: Record<Verdict, number> = { pass: 0, hit: 0, inert: 0, suspect: 0, error: 0 };
  private readonly runs = new Map<string, { executed: number; inert: number }>();

  add(p: Program, verdict: Verdict): void {
    this.verdicts[verdict]++;
    for (const [axis, values] of Object.entries(axisValues(p))) {
      for (const v of values) {
        const key = `${axis}=${v}`;
        const c = this.runs.get(key) ?? { executed: 0, inert: 0 };
        c.executed++;
        if (verdict === 'inert') c.inert++;
        this.runs.set(key, c);
      }
    }
  }

  get programs(): number {
    return Object.values(this.verdicts).reduce((a, b) => a + b, 0);
  }

  /** Axis values no program used yet. */
  missing(): string[] {
    return (Object.entries(AXES) as Array<[AxisName, readonly string[]]>).flatMap(([axis, values]) =>
      values.filter((v) => !this.runs.has(`${axis}=${v}`)).map((v) => `${axis}=${v}`),
    );
  }

  /** One line per axis: each value with `executed/inert`. */
  lines(): string[] {
    return (Object.entries(AXES) as Array<[AxisName, readonly string[]]>).map(([axis, values]) => {
      const cells = values.map((v) => {
        const c = this.runs.get(`${axis}=${v}`) ?? { executed: 0, inert: 0 };
        return `${v} ${c.executed}/${c.inert}`;
      });
      return `  ${axis}: ${cells.join(', ')}`;
    });
  }
}
