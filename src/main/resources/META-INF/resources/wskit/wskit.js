/*
 * wskit.js: the browser client of wskit-redis-pubsub's history rooms (client protocol 1, docs/client-protocol.md).
 * Served by every application that has the library in WEB-INF/lib, at /wskit/wskit.js. No dependencies. MIT licence.
 *
 *   <script src="/wskit/wskit.js"></script>
 *   const chat = wskit.connect('/chat/lobby');          // ws(s)://<this host>/<context>/chat/lobby
 *   chat.on('message', (data, m) => show(m.room, data)); // each message once, in order, also across reconnects
 *   chat.on('lost', info => refetch(info.room));          // 'not-recovered' too: messages that could not be had
 *   chat.on('missed', info => refetch(info.room));        // a plain room: the server may have missed messages
 *   chat.send('hello');
 *
 * Reconnects with exponential backoff and jitter, resuming every room it saw after its last position
 * (?since=<room>:<offset>:<epoch>), so that it receives exactly what it missed, on any server instance.
 */
(function (root) {
  'use strict';

  var PREFIX = '{"wskit":1,';

  function absolute(url) {
    if (/^wss?:\/\//.test(url)) {
      return url;
    }
    var loc = root.location;
    if (!loc) {
      throw new Error('wskit: a relative URL needs a page location: ' + url);
    }
    var scheme = loc.protocol === 'https:' ? 'wss://' : 'ws://';
    if (/^https?:\/\//.test(url)) {
      return url.replace(/^http/, 'ws');
    }
    return scheme + loc.host + (url.charAt(0) === '/' ? url : loc.pathname.replace(/[^/]*$/, '') + url);
  }

  /**
   * Connect to a WebSocket URL of a RedisPubSubEndpoint.
   *
   * options (all optional):
   *   minDelay, maxDelay  reconnect backoff in ms (500, 30000): delay n = min(max, min * 2^n), times 0.5..1 (jitter)
   *   storage             a Storage (sessionStorage) to keep the positions across page reloads
   *   storageKey          its key ('wskit:' + url)
   *   positions           initial positions, {room: {offset, epoch}}
   *   shouldReconnect     function ({code, reason}) deciding whether to reconnect after a close (default: any code
   *                       but 1008, refused); e.g. also not after an application's own refusal code such as 4403
   *   WebSocket           the WebSocket class (default: the browser's; in Node, require('ws'))
   */
  function connect(url, options) {
    options = options || {};
    var minDelay = options.minDelay || 500;
    var maxDelay = options.maxDelay || 30000;
    var WS = options.WebSocket || root.WebSocket;
    var shouldReconnect = options.shouldReconnect || function (close) {
      // 1008: refused (mayJoin, invalid room or position, rate): connecting again would be refused again
      return close.code !== 1008;
    };
    var target = absolute(url);
    var storage = options.storage || null;
    var storageKey = options.storageKey || 'wskit:' + target;
    var positions = {};
    var listeners = {};
    var socket = null;
    var attempt = 0;
    var timer = null;
    var closed = false;
    var saveTimer = null;

    if (storage) {
      try {
        positions = JSON.parse(storage.getItem(storageKey) || '{}') || {};
      } catch (e) {
        positions = {};
      }
    }
    if (options.positions) {
      for (var r in options.positions) {
        positions[r] = options.positions[r];
      }
    }

    function emit(type) {
      var args = Array.prototype.slice.call(arguments, 1);
      (listeners[type] || []).slice().forEach(function (fn) {
        try {
          fn.apply(null, args);
        } catch (e) {
          setTimeout(function () { throw e; });
        }
      });
    }

    function save() {
      if (!storage || saveTimer) {
        return;
      }
      saveTimer = setTimeout(function () {
        saveTimer = null;
        try {
          storage.setItem(storageKey, JSON.stringify(positions));
        } catch (e) {
          // storage full or denied: positions stay in memory
        }
      }, 200);
    }

    function urlWithPositions() {
      var query = [];
      for (var room in positions) {
        var p = positions[room];
        query.push('since=' + encodeURIComponent(room + ':' + p.offset + ':' + p.epoch));
      }
      return query.length ? target + (target.indexOf('?') < 0 ? '?' : '&') + query.join('&') : target;
    }

    function onFrame(text) {
      if (typeof text !== 'string' || text.lastIndexOf(PREFIX, 0) !== 0) {
        emit('plain', text); // a plain room's message: the text as published
        return;
      }
      var f;
      try {
        f = JSON.parse(text);
      } catch (e) {
        emit('plain', text);
        return;
      }
      if (typeof f.offset === 'number' && typeof f.epoch === 'string') {
        positions[f.room] = {offset: f.offset, epoch: f.epoch};
        save();
      } else if (f.type === 'lost') {
        delete positions[f.room]; // continuation unknown: the next message tells
        save();
      }
      if (f.type === 'missed') {
        // a plain room: messages published between from and to may not have reached this client
        emit('missed', {room: f.room, from: new Date(f.from), to: new Date(f.to), reason: f.reason});
        return;
      }
      var info = {room: f.room, offset: f.offset, epoch: f.epoch, reason: f.reason, since: f.since, after: f.after,
        replayed: f.replayed};
      if (f.type === 'message') {
        emit('message', f.data, info);
      } else if (f.type === 'subscribed' || f.type === 'recovered' || f.type === 'not-recovered'
          || f.type === 'lost') {
        emit(f.type, info);
      }
    }

    function open() {
      timer = null;
      if (closed) {
        return;
      }
      var ws;
      try {
        ws = new WS(urlWithPositions());
      } catch (e) {
        retry();
        return;
      }
      socket = ws;
      ws.onopen = function () {
        attempt = 0;
        emit('open');
      };
      ws.onmessage = function (event) {
        // after close() nothing more is processed: the positions stay those of the last message emitted, so a page
        // that resumes elsewhere from them gets what this one never showed, exactly once
        if (!closed && socket === ws) {
          onFrame(event.data);
        }
      };
      ws.onclose = function (event) {
        if (socket !== ws) {
          return;
        }
        socket = null;
        var again = !closed && !!shouldReconnect({code: event.code, reason: event.reason});
        var delay = again ? nextDelay() : null;
        emit('close', {code: event.code, reason: event.reason, reconnecting: again, delay: delay});
        if (again && !closed) {
          timer = setTimeout(open, delay);
        }
      };
      ws.onerror = function () {
        // followed by onclose
      };
    }

    /** The wait before the next attempt, in ms: min(maxDelay, minDelay * 2^attempt), times 0.5..1 (jitter). */
    function nextDelay() {
      var delay = Math.min(maxDelay, minDelay * Math.pow(2, attempt));
      attempt++;
      return Math.round(delay * (0.5 + Math.random() * 0.5));
    }

    function retry() {
      timer = setTimeout(open, nextDelay());
    }

    var client = {
      /** Listen: 'message' (data, info), 'subscribed', 'recovered', 'not-recovered', 'lost' (info), 'plain'
       *  (text), 'missed' ({room, from, to, reason}: a plain room), 'open', 'close' ({code, reason, reconnecting,
       *  delay: ms until the next attempt, or null}). Returns a function that removes the listener. */
      on: function (type, fn) {
        (listeners[type] = listeners[type] || []).push(fn);
        return function () {
          listeners[type] = (listeners[type] || []).filter(function (f) { return f !== fn; });
        };
      },
      /** Send text; false if not connected right now (nothing is queued). */
      send: function (text) {
        if (socket && socket.readyState === 1) {
          socket.send(text);
          return true;
        }
        return false;
      },
      /** The last position seen per room, {room: {offset, epoch}}. */
      positions: function () {
        return JSON.parse(JSON.stringify(positions));
      },
      /** Whether the socket is open. */
      connected: function () {
        return !!socket && socket.readyState === 1;
      },
      /** Drop the connection now and reconnect with backoff (as a network failure would; for tests). */
      drop: function () {
        if (socket) {
          socket.close();
        }
      },
      /** Close for good: no message or position change after this call (a page that resumes elsewhere from positions()
       *  gets whatever arrived meanwhile). */
      close: function () {
        closed = true;
        if (timer) {
          clearTimeout(timer);
        }
        if (socket) {
          socket.close(1000);
        }
      }
    };
    open();
    return client;
  }

  var api = {connect: connect, version: 1};
  root.wskit = api;
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
