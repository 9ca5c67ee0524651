// Builds the task pane and the ribbon's function file into dist/, with the manifest and icons beside them.
//
//   webpack --mode production            dist/ for deployment; manifest URLs point at the production location
//   webpack --mode development           dist/ for sideloading against the dev server
//   webpack serve --mode development     https://localhost:3000/ with the Office dev certificates
//
// The production location defaults to PROD_URL below; override it with `--env urlProd=https://…/` or the
// SCORECARD_URL_PROD environment variable.
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');

const DEV_URL = 'https://localhost:3000/';
const PROD_URL = 'https://scorecard-refresh.example.org/';

/** Returns the production base URL: https, ending in a slash. */
function resolveProdUrl(env) {
  const url = (env && env.urlProd) || process.env.SCORECARD_URL_PROD || PROD_URL;
  if (!/^https:\/\/[^/\s]+/.test(url)) {
    throw new Error(`The production URL must be an https URL; got "${url}"`);
  }
  return url.endsWith('/') ? url : `${url}/`;
}

/** Returns the key, certificate and CA of the trusted localhost certificate (installing it on first use). */
async function getHttpsOptions() {
  // Required here, not at the top, so that a build that serves nothing never touches certificates.
  const devCerts = require('office-addin-dev-certs');
  const { ca, key, cert } = await devCerts.getHttpsServerOptions();
  return { ca, key, cert };
}

module.exports = async (env = {}, argv = {}) => {
  const dev = argv.mode !== 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  const urlProd = dev ? DEV_URL : resolveProdUrl(env);

  const config = {
    devtool: dev ? 'source-map' : false,
    entry: {
      taskpane: './src/taskpane/taskpane.ts',
      commands: './src/commands/commands.ts',
      message: './src/commands/message.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.js'],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            // Type-check only what is bundled: src/cli and src/xlsx are Node code outside this build.
            options: { configFile: 'tsconfig.webpack.json', onlyCompileBundledFiles: true },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/commands/commands.html',
        chunks: ['commands'],
      }),
      // The ribbon command's failure dialog (Office.context.ui.displayDialogAsync).
      new HtmlWebpackPlugin({
        filename: 'message.html',
        template: './src/commands/message.html',
        chunks: ['message'],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*', to: 'assets/[name][ext][query]' },
          { from: 'src/taskpane/taskpane.css', to: 'taskpane.css' },
          {
            from: 'manifest*.xml',
            to: '[name][ext]',
            transform(content) {
              return dev ? content : content.toString().split(DEV_URL).join(urlProd);
            },
          },
        ],
      }),
    ],
  };

  if (serving) {
    config.devServer = {
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: { type: 'https', options: await getHttpsOptions() },
      port: Number(process.env.npm_package_config_dev_server_port) || 3000,
    };
  }
  return config;
};
