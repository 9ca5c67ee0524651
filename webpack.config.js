// Builds the task pane and the ribbon's function file into dist/, with the manifest and icons beside them.
//
//   webpack --mode production            dist/ for deployment; manifest URLs point at the production location
//   webpack --mode development           dist/ for sideloading against the dev server
//   webpack serve --mode development     https://localhost:3000/ with the Office dev certificates
//
// The production location defaults to PROD_URL below, a placeholder (the build warns while it is used); set it with
// `--env urlProd=https://…/` or the SCORECARD_URL_PROD environment variable.
//
// Bundles are ES2017 with only the DOM that Edge Legacy has, the webview of Office 2019 and of Microsoft 365 without
// WebView2 (https://learn.microsoft.com/office/dev/add-ins/concepts/browsers-used-by-office-web-add-ins); each
// starts with src/ui/builtins.ts. Internet Explorer 11 gets src/ui/unsupported-webview.js, an ES5 script each page
// loads first, which says what is needed. Bundle names carry a content hash, and the pages name the files they
// load with a hash of their content, so a deploy never mixes two builds.
const crypto = require('crypto');
const fs = require('fs');
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

/** The script each page runs before its bundle; ES5, copied as is. */
const LEGACY_SCRIPT = 'src/ui/unsupported-webview.js';
const STYLESHEET = 'src/taskpane/taskpane.css';

/** Returns a short hash of a file's content, for the `?v=` of the pages' links to files copied as they are. */
function contentVersion(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(path.resolve(__dirname, file))).digest('hex').slice(0, 12);
}

/** The one line printed when the development certificate cannot be installed or read. */
const CERTIFICATE_HELP =
  'The development certificate for https://localhost is not installed, and installing it needs administrator rights: run `npx office-addin-dev-certs install` once as an administrator (or with sudo), then `npm run dev-server` again.';

/** Returns the key, certificate and CA of the trusted localhost certificate (installing it on first use). */
async function getHttpsOptions() {
  // Required here, not at the top, so that a build that serves nothing never touches certificates.
  const devCerts = require('office-addin-dev-certs');
  try {
    const { ca, key, cert } = await devCerts.getHttpsServerOptions();
    return { ca, key, cert };
  } catch (error) {
    const reason = error && error.message ? String(error.message).split('\n')[0] : String(error);
    console.error(`${CERTIFICATE_HELP} (${reason})`);
    process.exit(1);
  }
}

/** Adds a warning to the build's output when the manifest would point at the placeholder production address. */
class PlaceholderUrlWarning {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('PlaceholderUrlWarning', (compilation) => {
      const warning = new Error(
        `The manifest points at the placeholder address ${PROD_URL}. Build with --env urlProd=https://your.host/path/ (or set SCORECARD_URL_PROD) for a deployment.`,
      );
      warning.name = 'PlaceholderUrlWarning';
      compilation.warnings.push(warning);
    });
  }
}

module.exports = async (env = {}, argv = {}) => {
  const dev = argv.mode !== 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  const urlProd = dev ? DEV_URL : resolveProdUrl(env);

  const pageFiles = {
    legacyScript: `unsupported-webview.js?v=${contentVersion(LEGACY_SCRIPT)}`,
    stylesheet: `taskpane.css?v=${contentVersion(STYLESHEET)}`,
  };

  const config = {
    devtool: dev ? 'source-map' : false,
    // ES2017 for webpack's own code too.
    target: ['web', 'es2017'],
    entry: {
      taskpane: ['./src/ui/builtins.ts', './src/taskpane/taskpane.ts'],
      commands: ['./src/ui/builtins.ts', './src/commands/commands.ts'],
      message: ['./src/ui/builtins.ts', './src/commands/message.ts'],
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].[contenthash:12].js',
      chunkFilename: '[name].[contenthash:12].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.js'],
    },
    module: {
      rules: [
        {
          // Packages bundled from node_modules (numfmt) ship newer syntax (object spread): compiled to ES2017 too.
          test: /\.m?js$/,
          include: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: { configFile: 'tsconfig.webpack.json', transpileOnly: true, compilerOptions: { allowJs: true, checkJs: false } },
          },
        },
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            // Type-check only what is bundled: src/cli and src/xlsx are Node code outside this build.
            // TS1503 (named capture groups need ES2018): the engine's patterns use them, and TypeScript leaves
            // regular expressions as written whatever the target. test/build-bundles.test.ts lists them.
            options: { configFile: 'tsconfig.webpack.json', onlyCompileBundledFiles: true, ignoreDiagnostics: [1503] },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        templateParameters: pageFiles,
        chunks: ['taskpane'],
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/commands/commands.html',
        templateParameters: pageFiles,
        chunks: ['commands'],
      }),
      // The ribbon command's failure dialog (Office.context.ui.displayDialogAsync).
      new HtmlWebpackPlugin({
        filename: 'message.html',
        template: './src/commands/message.html',
        templateParameters: pageFiles,
        chunks: ['message'],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*', to: 'assets/[name][ext][query]' },
          { from: STYLESHEET, to: 'taskpane.css' },
          { from: LEGACY_SCRIPT, to: 'unsupported-webview.js' },
          {
            from: 'manifest*.xml',
            to: '[name][ext]',
            transform(content) {
              return dev ? content : content.toString().split(DEV_URL).join(urlProd);
            },
          },
        ],
      }),
      ...(!dev && urlProd === PROD_URL ? [new PlaceholderUrlWarning()] : []),
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
