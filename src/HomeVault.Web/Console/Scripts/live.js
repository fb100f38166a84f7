// Live view: each <video data-live="CAMERA"> plays that camera over a WebSocket. The server sends the MIME type
// (text), the init segment, then one fragment per message (the first starts at a keyframe); Media Source Extensions play
// them. Playback stays near the newest fragment; a locked console ends every stream for good.
'use strict';

(() => {
  const MAX_LAG = 3.5; // seconds behind the newest buffered media before jumping ahead
  const KEEP = 20; // seconds of played media kept buffered
  const LOCKED = 4003; // the server's close code when the console was locked
  const RETRY_MS = 2000;

  function watch(video) {
    const state = video.parentElement.querySelector('.live-state');
    const say = (text) => { state.textContent = text; };
    const url = new URL('/console/live/' + encodeURIComponent(video.dataset.live) + '/socket', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';

    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    const source = new MediaSource();
    const queue = [];
    let buffer = null;
    let opened = false;

    function append() {
      if (buffer && !buffer.updating && queue.length > 0) {
        buffer.appendBuffer(queue.shift());
      }
    }

    function keepUp() {
      const ranges = video.buffered;
      if (ranges.length === 0) {
        return;
      }
      const newest = ranges.end(ranges.length - 1);
      if (video.currentTime < ranges.start(0) || newest - video.currentTime > MAX_LAG) {
        video.currentTime = Math.max(ranges.start(ranges.length - 1), newest - 1);
      }
      if (!buffer.updating && video.currentTime - ranges.start(0) > 2 * KEEP) {
        buffer.remove(ranges.start(0), video.currentTime - KEEP);
      }
      video.play().catch(() => {}); // muted autoplay is allowed; a refusal leaves the controls to the owner
    }

    function start(type) {
      if (!window.MediaSource || !MediaSource.isTypeSupported(type)) {
        say('this browser cannot play ' + type);
        socket.close();
        return;
      }
      source.addEventListener('sourceopen', () => {
        buffer = source.addSourceBuffer(type);
        buffer.addEventListener('updateend', () => { keepUp(); append(); });
        append();
      }, { once: true });
      video.src = URL.createObjectURL(source);
    }

    socket.onopen = () => { opened = true; say('live'); };
    socket.onmessage = (e) => {
      if (typeof e.data === 'string') {
        start(e.data);
      } else {
        queue.push(e.data);
        append();
      }
    };
    socket.onclose = (e) => {
      say(e.code === LOCKED ? 'console locked' : (e.reason || 'not available') + (opened ? ', reconnecting' : ''));
      // A camera that reconnected or a viewer that fell behind starts again; a lock or a refused socket does not.
      if (opened && e.code !== LOCKED) {
        setTimeout(() => {
          URL.revokeObjectURL(video.src);
          watch(video);
        }, RETRY_MS);
      }
    };
  }

  document.querySelectorAll('video[data-live]').forEach(watch);
})();
