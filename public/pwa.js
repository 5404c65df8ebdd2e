// Ruta's page-side PWA glue, loaded by the app shell before the WASM:
// registers the service worker, tells the app when a new version is
// waiting ("Nueva versión disponible — Actualizar") and relays the
// worker's "outbox changed" messages. The app calls the window.ruta*
// functions below (app/src/services/pwa.rs).
(function () {
  if (!('serviceWorker' in navigator)) return;
  var container = navigator.serviceWorker;

  function waiting(worker) {
    window.rutaWaiting = worker;
    window.dispatchEvent(new Event('ruta:update'));
  }

  container.register('/sw.js').then(function (registration) {
    // A controller means this is an update, not the first install.
    if (registration.waiting && container.controller) waiting(registration.waiting);
    registration.addEventListener('updatefound', function () {
      var worker = registration.installing;
      if (!worker) return;
      worker.addEventListener('statechange', function () {
        if (worker.state === 'installed' && container.controller) waiting(worker);
      });
    });
  }).catch(function () {});

  var reloading = false;
  container.addEventListener('controllerchange', function () {
    if (window.rutaUpdating && !reloading) {
      reloading = true;
      location.reload();
    }
  });

  container.addEventListener('message', function (event) {
    if (event.data === 'ruta:outbox') window.dispatchEvent(new Event('ruta:outbox'));
  });

  window.rutaApplyUpdate = function () {
    if (!window.rutaWaiting) return;
    window.rutaUpdating = true;
    window.rutaWaiting.postMessage('skip-waiting');
  };

  window.rutaRegisterSync = function () {
    container.ready.then(function (registration) {
      return registration.sync && registration.sync.register('ruta-outbox');
    }).catch(function () {});
  };
})();
