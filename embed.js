/*
 * embed.js — puts the member dashboard into an element of your page, in an iframe (its styles
 * and Content-Security-Policy stay its own), and talks to it by postMessage.
 *
 *   <script src="https://dashboard.example.com/embed.js"></script>
 *   <div id="dashboard"></div>
 *   <script>
 *     const dashboard = mountMemberDashboard(document.getElementById('dashboard'), {
 *       // All optional.
 *       url: 'https://dashboard.example.com/', // default: the folder embed.js was loaded from
 *       api: 'https://api.example.com/v1',     // load <api>/members and <api>/transactions
 *       credentials: 'token',                  // or 'cookie' (your portal's own cookie)
 *       fetchToken: () => fetch('/portal/dashboard-token').then((r) => r.text()),
 *                                              // a bearer token, or a Promise of one; asked
 *                                              // again whenever the dashboard needs a fresh one
 *       locale: 'zh-CN',                       // or 'en'
 *       theme: 'light',                        // or 'dark'
 *       page: 'members',                       // overview, segments, pyramid, churn, members,
 *                                              // work-lists, data, report
 *       filter: { all: [{ by: 'rfm', any: ['champions'] }] },  // opens the Members page
 *       hide: ['header', 'nav', 'banner'],     // parts of the frame not shown
 *       stores: ['徐汇店', '静安店'],             // the store scope (default: all stores)
 *       rows: { members: [...], transactions: [...] },  // records to load once ready (the
 *                                              // demo is then not shown first)
 *       demo: false,                           // start empty (for rows sent later by load())
 *       autoHeight: true,                      // the iframe follows the content's height
 *       height: 600,                           // the iframe's height until the first report
 *       on: { dataLoaded: (e) => console.log(e.members, e.transactions) },
 *     });
 *     dashboard.load({ transactions: [...] }).then((e) => e.members);  // the dataLoaded event
 *     dashboard.setFilter({ search: '8801' });   // each command returns a Promise
 *     dashboard.navigate('churn');
 *     dashboard.setLocale('en');
 *     dashboard.setTheme('dark');
 *     dashboard.on('pageChanged', (e) => console.log(e.page));  // '*' for every event
 *     dashboard.off('pageChanged', handler);
 *     dashboard.destroy();                      // removes the iframe and the listeners
 *   </script>
 *
 * Events (each an object { source: 'member-dashboard', type, ...fields }): ready, dataLoaded
 * { dataset, members, transactions, isDemo }, loadFailed { message }, analysesFinished,
 * predictionsFinished, pageChanged { page }, filterChanged { filter }, memberOpened { id },
 * listExported { format, fileName }, heightChanged { height }, tokenRequested, commandDone
 * { command, id, result? }, error { detail, id?, command? }.
 * Records use the file import's field keys (member_id, date, amount, …). Commands sent before
 * the dashboard is ready wait for it. Tokens and records never go into the iframe's URL.
 */
(function () {
  'use strict';
  var SOURCE = 'member-dashboard';
  var script = document.currentScript;
  var home = script && script.src ? new URL('./', script.src).href : null;

  function mountMemberDashboard(element, options) {
    options = options || {};
    if (!element || typeof element.appendChild !== 'function') throw new TypeError('mountMemberDashboard: element must be a DOM element');
    var url = new URL(options.url || home || './', location.href);
    var query = url.searchParams;
    ['api', 'credentials', 'locale', 'theme', 'page'].forEach(function (key) {
      if (options[key]) query.set(key, String(options[key]));
    });
    if (options.filter) query.set('filter', JSON.stringify(options.filter));
    if (options.hide) query.set('hide', [].concat(options.hide).join(','));
    if (options.stores) query.set('stores', [].concat(options.stores).join(','));
    // Rows handed in (or demo: false): start empty rather than show the demo until they arrive.
    if (options.demo === false || (options.rows && !options.api)) query.set('demo', 'off');
    // Events go only to this page, and only this page's commands are taken.
    query.set('origins', location.origin);
    var origin = url.origin;

    var iframe = document.createElement('iframe');
    iframe.title = options.title || 'Member dashboard';
    iframe.style.cssText = 'display:block;width:100%;border:0;';
    iframe.style.height = (options.height || 600) + 'px';
    iframe.src = url.href;

    var listeners = {};
    var isReady = false;
    var destroyed = false;
    var queue = [];
    var waiting = {};
    var nextId = 1;
    var lastLoaded = null;
    var fetchingToken = false;
    var markReady;
    var handle = {
      iframe: iframe,
      ready: new Promise(function (resolve) { markReady = resolve; }),
      on: on,
      off: off,
      load: function (rows, name) { return command('load', name ? { rows: rows, name: name } : { rows: rows }); },
      setFilter: function (filter) { return command('setFilter', { filter: filter }); },
      navigate: function (page) { return command('navigate', { page: page }); },
      setLocale: function (locale) { return command('setLocale', { locale: locale }); },
      setTheme: function (theme) { return command('setTheme', { theme: theme }); },
      setToken: function (token) { return command('setToken', { token: token }); },
      destroy: destroy,
    };

    function on(type, callback) {
      (listeners[type] = listeners[type] || []).push(callback);
      return handle;
    }

    function off(type, callback) {
      listeners[type] = (listeners[type] || []).filter(function (c) { return c !== callback; });
      return handle;
    }

    function fire(event) {
      (listeners[event.type] || []).concat(listeners['*'] || []).forEach(function (callback) {
        // One failing listener does not stop the others.
        try { callback(event); } catch (e) { setTimeout(function () { throw e; }); }
      });
    }

    function post(message) {
      message.source = SOURCE;
      if (isReady) iframe.contentWindow.postMessage(message, origin);
      else queue.push(message);
    }

    function command(name, fields) {
      if (destroyed) return Promise.reject(new Error('the dashboard was destroyed'));
      var id = 'c' + nextId++;
      return new Promise(function (resolve, reject) {
        waiting[id] = { name: name, resolve: resolve, reject: reject };
        post(Object.assign({ command: name, id: id }, fields));
      });
    }

    function supplyToken() {
      if (typeof options.fetchToken !== 'function' || fetchingToken) return;
      fetchingToken = true;
      Promise.resolve()
        .then(function () { return options.fetchToken(); })
        .then(function (token) {
          fetchingToken = false;
          if (typeof token !== 'string' || !token) throw new Error('fetchToken gave no token');
          return handle.setToken(token);
        })
        .catch(function (e) {
          fetchingToken = false;
          fire({ source: SOURCE, type: 'error', detail: 'fetchToken: ' + (e && e.message ? e.message : e) });
        });
    }

    function settle(event) {
      var w = waiting[event.id];
      if (!w) return;
      delete waiting[event.id];
      if (event.type === 'error') return w.reject(new Error(event.detail));
      if (w.name === 'load') return w.resolve(lastLoaded || Object.assign({ source: SOURCE, type: 'dataLoaded' }, event.result));
      w.resolve(event);
    }

    function onMessage(ev) {
      if (ev.source !== iframe.contentWindow || ev.origin !== origin) return;
      var event = ev.data;
      if (!event || event.source !== SOURCE || typeof event.type !== 'string') return;
      if (event.type === 'ready') {
        isReady = true;
        queue.splice(0).forEach(post);
        markReady(handle);
      } else if (event.type === 'heightChanged' && options.autoHeight !== false) {
        iframe.style.height = event.height + 'px';
      } else if (event.type === 'tokenRequested') {
        supplyToken();
      } else if (event.type === 'dataLoaded') {
        lastLoaded = event;
      } else if (event.type === 'commandDone' || event.type === 'error') {
        settle(event);
      }
      fire(event);
    }

    function destroy() {
      if (destroyed) return;
      destroyed = true;
      window.removeEventListener('message', onMessage);
      iframe.remove();
      Object.keys(waiting).forEach(function (id) { waiting[id].reject(new Error('the dashboard was destroyed')); });
      waiting = {};
      queue = [];
      listeners = {};
    }

    Object.keys(options.on || {}).forEach(function (type) { on(type, options.on[type]); });
    window.addEventListener('message', onMessage);
    element.appendChild(iframe);
    if (options.api && typeof options.fetchToken === 'function') supplyToken();
    if (options.rows) handle.load(options.rows).catch(function () { /* told by the error event */ });
    return handle;
  }

  window.mountMemberDashboard = mountMemberDashboard;
})();
