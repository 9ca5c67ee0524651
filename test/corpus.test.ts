// Scores the engine on real published scorecards with the publishers' own answers (../shared/corpus) and fails
// below the floor no change may lower. This test needs ../shared/corpus beside the project (SCORECARD_CORPUS names
// another folder laid out the same way).
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const CORPUS = process.env.SCORECARD_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');
const RUNNER = join(__dirname, 'corpus-runner');

type Tally = Record<'status' | 'trend' | 'polarity' | 'variance' | 'falseAlarms' | 'detected', [number, number]>;

/** The floor: status, trend and polarity at least 95%; every budget variance, no false arithmetic finding, every table. */
const FLOOR: Record<keyof Tally, number> = { status: 0.95, trend: 0.95, polarity: 0.95, variance: 1, falseAlarms: 1, detected: 1 };

describe('the corpus of published scorecards', () => {
  let total: Tally;

  beforeAll(() => {
    if (!existsSync(join(CORPUS, 'score.mjs'))) {
      throw new Error(`The corpus test needs ${CORPUS} (the shared folder beside the project, or SCORECARD_CORPUS)`);
    }
    const out = join(mkdtempSync(join(tmpdir(), 'corpus-score-')), 'score.json');
    // The scorer runs the project's own `scorecard` command from the folder it is started in: here, the sources.
    execFileSync(process.execPath, [join(CORPUS, 'score.mjs'), '--json', out, '--dir', CORPUS], { cwd: RUNNER, stdio: 'pipe', timeout: 300_000 });
    total = (JSON.parse(readFileSync(out, 'utf8')) as { total: Tally }).total;
  }, 300_000);

  it.each(Object.keys(FLOOR) as Array<keyof Tally>)('scores %s at or above the floor', (field) => {
    const [hit, of] = total[field];
    expect(of).toBeGreaterThan(0);
    expect(hit / of).toBeGreaterThanOrEqual(FLOOR[field]);
  });
});
