// One measured step of `npm run bench`, in a process of its own so that its peak memory is its own:
//   node scripts/bench/child.js passthrough <in.xlsx> <out.xlsx>   ExcelJS read + write, nothing else
//   node scripts/bench/child.js refresh <in.xlsx> <out.xlsx>       the compiled `scorecard refresh`
// Prints {"maxRssBytes": …} on stdout when the step succeeds.
const path = require('path');

async function run(mode, input, output) {
  if (mode === 'passthrough') {
    const ExcelJS = require('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(input);
    await wb.xlsx.writeFile(output);
    return;
  }
  if (mode === 'refresh') {
    const { main } = require(path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js'));
    const code = await main(['node', 'scorecard', 'refresh', input, '-o', output], { out: () => undefined, err: (t) => process.stderr.write(`${t}\n`) });
    if (code !== 0) throw new Error(`scorecard refresh exited with code ${code}`);
    return;
  }
  throw new Error(`unknown step "${mode}"`);
}

const [mode, input, output] = process.argv.slice(2);
run(mode, input, output).then(
  () => process.stdout.write(`${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`),
  (e) => {
    process.stderr.write(`${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  },
);
