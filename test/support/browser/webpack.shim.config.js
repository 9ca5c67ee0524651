// Builds the browser test's stand-in for office.js (office-shim.ts: `Office` plus the Excel emulator) into one
// script. Used by test/browser.test.ts; by hand:
//   npx webpack -c test/support/browser/webpack.shim.config.js --env outDir=/tmp/shim
const path = require('path');

module.exports = (env = {}) => ({
  mode: 'development',
  devtool: false,
  target: 'web',
  context: path.resolve(__dirname, '../../..'),
  entry: { 'office-shim': path.resolve(__dirname, 'office-shim.ts') },
  output: {
    path: path.resolve(env.outDir || path.join(__dirname, '../../../out/browser-test')),
    filename: '[name].js',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          // The emulator is type-checked with the rest of test/ by `tsc -p tsconfig.json`; here it is only bundled.
          options: { configFile: path.resolve(__dirname, '../../../tsconfig.json'), transpileOnly: true },
        },
      },
    ],
  },
  performance: { hints: false },
});
