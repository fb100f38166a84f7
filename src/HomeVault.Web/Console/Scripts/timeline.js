// HomeVault console: the day timeline. Reads each camera's clips and gaps from the page (the server-rendered lists),
// draws footage, gaps and activity (each clip's bitrate) on a strip, and plays from any moment clicked or dragged to,
// running on from clip to clip by itself. With several cameras, every camera jumps to the same moment.
'use strict';

(() => {
  const root = document.getElementById('timeline');
  if (!root) {
    return;
  }
  const zone = root.dataset.zone;
  const dayFrom = Number(root.dataset.from);
  const dayTo = Number(root.dataset.to);
  // The strips show [viewFrom, viewTo): the whole day, or an hour or ten minutes around the moment (the zoom).
  let viewFrom = dayFrom;
  let viewTo = dayTo;
  const clock = (tz) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const local = clock(zone);
  const utc = clock('UTC');
  // A datetime-local value in the owners' zone ("sv-SE" writes YYYY-MM-DD HH:MM:SS).
  const field = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const momentOut = document.getElementById('moment');
  const cameras = [...root.querySelectorAll('section.camera')].map(setUp);
  let moment = null;
  let mark = null;

  document.getElementById('controls').hidden = false;
  document.getElementById('hint').hidden = false;

  function setUp(section) {
    const cam = {
      name: section.dataset.camera,
      clips: [...section.querySelectorAll('ol.clips li')].map((li) => ({
        id: li.dataset.id, start: Number(li.dataset.start), end: Number(li.dataset.end), rate: Number(li.dataset.rate),
      })),
      gaps: [...section.querySelectorAll('ol.gaps li')].map((li) => ({
        start: Number(li.dataset.start), end: Number(li.dataset.end), cause: li.dataset.cause,
      })),
      canvas: section.querySelector('canvas'),
      cursor: section.querySelector('.cursor'),
      selection: section.querySelector('.selection'),
      hover: section.querySelector('output.hover'),
      axis: [...section.querySelectorAll('.axis span')],
      video: section.querySelector('video'),
      clip: null,
      seekTo: null,
    };
    const video = cam.video;
    video.addEventListener('loadedmetadata', () => {
      if (cam.seekTo !== null) {
        video.currentTime = origin(video) + cam.seekTo;
        cam.seekTo = null;
      }
      video.play().catch(() => {});
    });
    video.addEventListener('ended', () => follow(cam));
    video.addEventListener('timeupdate', () => {
      if (cam.clip && cam === lead()) {
        show(cam.clip.start + ((video.currentTime - origin(video)) * 1000));
      }
    });
    let dragging = false;
    cam.canvas.addEventListener('pointerdown', (e) => {
      dragging = true;
      cam.canvas.setPointerCapture(e.pointerId);
      show(at(cam, e));
    });
    cam.canvas.addEventListener('pointermove', (e) => {
      describe(cam, at(cam, e));
      if (dragging) {
        show(at(cam, e));
      }
    });
    cam.canvas.addEventListener('pointerup', (e) => {
      if (dragging) {
        dragging = false;
        playAll(at(cam, e));
      }
    });
    new ResizeObserver(() => draw(cam)).observe(cam.canvas);
    return cam;
  }

  // The media time of a clip's first frame: the clip's tfdt, which need not be zero.
  function origin(video) {
    return video.seekable.length > 0 ? video.seekable.start(0) : 0;
  }

  function x(cam, t) {
    return ((t - viewFrom) / (viewTo - viewFrom)) * cam.canvas.width;
  }

  function percent(t) {
    return `${(100 * (t - viewFrom)) / (viewTo - viewFrom)}%`;
  }

  function at(cam, e) {
    const box = cam.canvas.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    return viewFrom + (f * (viewTo - viewFrom));
  }

  function zoom(span) {
    // Around the moment shown, else around the day's latest footage.
    const ends = cameras.flatMap((cam) => cam.clips.map((c) => c.end));
    const centre = moment !== null ? moment : ends.length > 0 ? Math.max(...ends) : (dayFrom + dayTo) / 2;
    viewFrom = Math.max(dayFrom, Math.min(dayTo - span, centre - (span / 2)));
    viewTo = Math.min(dayTo, viewFrom + span);
    root.dataset.viewFrom = viewFrom;
    root.dataset.viewTo = viewTo;
    for (const cam of cameras) {
      cam.axis.forEach((label, i) => { label.textContent = local.format(viewFrom + ((i / (cam.axis.length - 1)) * (viewTo - viewFrom))).slice(0, 5); });
      draw(cam);
    }
    if (moment !== null) {
      show(moment);
    }
  }

  function draw(cam) {
    const c = cam.canvas;
    c.width = Math.max(1, Math.round(c.clientWidth * devicePixelRatio));
    c.height = Math.max(1, Math.round(c.clientHeight * devicePixelRatio));
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const busiest = Math.max(1, ...cam.clips.map((clip) => clip.rate));
    for (const clip of cam.clips) {
      const x0 = x(cam, clip.start);
      const w = Math.max(1, x(cam, clip.end) - x0);
      g.fillStyle = '#a8d5b4';
      g.fillRect(x0, 0, w, c.height);
      const h = c.height * (clip.rate / busiest);
      g.fillStyle = '#2f8a4b';
      g.fillRect(x0, c.height - h, w, h);
    }
    g.fillStyle = '#d9534f';
    for (const gap of cam.gaps) {
      const x0 = x(cam, gap.start);
      g.fillRect(x0, 0, Math.max(1, x(cam, gap.end) - x0), c.height * 0.25);
    }
  }

  function describe(cam, t) {
    const gap = cam.gaps.find((g) => g.start <= t && t < g.end);
    const clip = cam.clips.find((c) => c.start <= t && t < c.end);
    const what = clip ? 'footage' : gap ? `no footage: ${gap.cause}` : 'no footage';
    const text = `${local.format(t)} (${utc.format(t)} UTC) ${what}`;
    cam.hover.textContent = text;
    cam.canvas.title = text;
  }

  function show(t) {
    moment = t;
    momentOut.textContent = `${local.format(t)} (${utc.format(t)} UTC)`;
    for (const cam of cameras) {
      cam.cursor.style.display = t >= viewFrom && t < viewTo ? 'block' : 'none';
      cam.cursor.style.left = percent(t);
    }
  }

  // The camera whose playback moves the cursor: the first one playing a clip.
  function lead() {
    return cameras.find((cam) => cam.clip !== null) || null;
  }

  function load(cam, clip, offsetSeconds) {
    const video = cam.video;
    if (cam.clip === clip && video.readyState >= 1) {
      video.currentTime = origin(video) + offsetSeconds;
      video.play().catch(() => {});
      return;
    }
    cam.clip = clip;
    cam.seekTo = offsetSeconds;
    video.preload = 'auto';
    video.src = `/console/clips/${clip.id}/media`;
    video.dataset.clip = clip.id;
    video.play().catch(() => {});
  }

  function playAt(cam, t) {
    const clip = cam.clips.find((c) => c.end > t);
    if (!clip) {
      cam.video.pause();
      cam.hover.textContent = 'no footage after this moment';
      return;
    }
    load(cam, clip, Math.max(0, (t - clip.start) / 1000));
  }

  function playAll(t) {
    show(t);
    cameras.forEach((cam) => playAt(cam, t));
  }

  // Runs on into the next clip when one ends.
  function follow(cam) {
    const next = cam.clips[cam.clips.indexOf(cam.clip) + 1];
    if (next) {
      load(cam, next, 0);
    }
  }

  function starts() {
    return [...new Set(cameras.flatMap((cam) => cam.clips.map((c) => c.start)))].sort((a, b) => a - b);
  }

  function step(direction) {
    const now = moment === null ? dayFrom : moment;
    const all = starts();
    const target = direction > 0 ? all.find((s) => s > now + 500) : all.filter((s) => s < now - 2000).pop();
    if (target !== undefined) {
      playAll(target);
    }
  }

  function togglePlay() {
    const playing = cameras.some((cam) => cam.clip && !cam.video.paused);
    if (moment === null) {
      step(1);
      return;
    }
    cameras.filter((cam) => cam.clip).forEach((cam) => (playing ? cam.video.pause() : cam.video.play().catch(() => {})));
  }

  function markWindow(isEnd) {
    if (moment === null) {
      return;
    }
    const value = field.format(moment).replace(' ', 'T');
    document.getElementById(isEnd ? 'export-to' : 'export-from').value = value;
    if (!isEnd) {
      mark = moment;
    } else if (mark !== null && moment > mark) {
      for (const cam of cameras) {
        cam.selection.style.display = 'block';
        cam.selection.style.left = percent(mark);
        cam.selection.style.width = `${(100 * (moment - mark)) / (viewTo - viewFrom)}%`;
      }
    }
  }

  document.getElementById('prev-clip').addEventListener('click', () => step(-1));
  document.getElementById('next-clip').addEventListener('click', () => step(1));
  document.getElementById('back').addEventListener('click', () => moment !== null && playAll(moment - 10000));
  document.getElementById('forward').addEventListener('click', () => moment !== null && playAll(moment + 10000));
  document.getElementById('play').addEventListener('click', togglePlay);
  document.getElementById('zoom').addEventListener('change', (e) => zoom(Number(e.target.value) * 60000));
  root.dataset.viewFrom = viewFrom;
  root.dataset.viewTo = viewTo;
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea, video') || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    const keys = {
      ' ': togglePlay,
      ArrowLeft: () => moment !== null && playAll(moment - 10000),
      ArrowRight: () => moment !== null && playAll(moment + 10000),
      PageUp: () => step(-1),
      ',': () => step(-1),
      PageDown: () => step(1),
      '.': () => step(1),
      '[': () => markWindow(false),
      ']': () => markWindow(true),
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });
})();
