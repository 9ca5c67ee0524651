/* global window, document, navigator, Office */
// Loaded before each page's bundle, and written in ES5 so that Internet Explorer 11 can run it. Some Office
// versions (volume-licensed Office 2019 on older Windows 10 builds, Office 2016) show add-ins in Internet
// Explorer 11's webview ("Trident"), which cannot parse the bundles. There this script says so in words, as
// Microsoft recommends (https://learn.microsoft.com/office/dev/add-ins/develop/support-ie-11, "Support older
// Microsoft webviews and Office versions"), and completes the ribbon command so that Excel does not wait for it.
// Everywhere else it does nothing.
(function () {
  'use strict';
  if (navigator.userAgent.indexOf('Trident') === -1) return;

  var TITLE = 'Scorecard Refresh needs a newer Office';
  var MESSAGE =
    'This copy of Office shows add-ins with Internet Explorer 11, which Scorecard Refresh cannot run in. ' +
    'Use Microsoft 365, Excel 2021 or later, Excel 2019 on Windows 10 version 1903 or later, Excel on the Mac, ' +
    'or Excel on the web.';

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(node, text) {
    if (node) node.innerText = text;
  }

  // The task pane: the same message bar the pane uses when it cannot run, with its controls hidden.
  function showInPane() {
    var bar = byId('host-message');
    if (!bar) return false;
    setText(byId('host-message-text'), MESSAGE);
    bar.removeAttribute('hidden');
    var content = byId('content');
    if (content) content.setAttribute('hidden', '');
    var refresh = byId('refresh');
    if (refresh) refresh.setAttribute('disabled', '');
    setText(byId('status'), TITLE);
    var pane = byId('pane');
    if (pane) pane.setAttribute('aria-busy', 'false');
    return true;
  }

  // The ribbon command's failure dialog (message.html), whose own script cannot run either.
  function showInDialog() {
    var title = byId('title');
    if (!title) return false;
    setText(title, TITLE);
    setText(byId('message'), MESSAGE);
    var close = byId('close');
    if (close) {
      close.onclick = function () {
        if (typeof Office !== 'undefined' && Office.context && Office.context.ui && Office.context.ui.messageParent) {
          Office.context.ui.messageParent('close');
        } else {
          window.close();
        }
      };
    }
    return true;
  }

  // The ribbon command (commands.html): show the message in the dialog, then complete the event.
  function answerCommand() {
    window.refreshScorecard = function (event) {
      var done = false;
      function complete() {
        if (done) return;
        done = true;
        event.completed();
      }
      try {
        var page = window.location.href.replace(/[?#].*$/, '').replace(/[^/]*$/, 'message.html');
        Office.context.ui.displayDialogAsync(page, { height: 30, width: 35, displayInIframe: true }, function (result) {
          if (result.status !== 'succeeded') {
            complete();
            return;
          }
          var dialog = result.value;
          dialog.addEventHandler('dialogMessageReceived', function () {
            dialog.close();
            complete();
          });
          dialog.addEventHandler('dialogEventReceived', complete);
        });
      } catch (error) {
        if (window.console) window.console.error('The message could not be shown in a dialog.', error);
        complete();
      }
    };
    if (typeof Office !== 'undefined' && Office.onReady) Office.onReady(function () { return undefined; });
  }

  function run() {
    if (showInPane() || showInDialog()) return;
    answerCommand();
  }

  window.scorecardUnsupportedWebview = true;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
