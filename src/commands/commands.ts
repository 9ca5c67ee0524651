Office.onReady(() => { /* wired up by the adapter */ });
