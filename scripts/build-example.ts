// Writes the bundled example workbook: npx tsx scripts/build-example.ts
import { join } from 'path';
import { buildExampleWorkbook } from '../test/support/example-workbook';

const out = join(__dirname, '..', 'examples', 'childrens-wellbeing-scorecard.xlsx');
buildExampleWorkbook().xlsx.writeFile(out).then(() => process.stdout.write(`wrote ${out}\n`));
