#!/usr/bin/python3
"""camsim: a small RTSP camera simulator for HomeVault's tests, demo and benchmarks.

Run with /usr/bin/python3 (it needs python3-gi and gir1.2-gst-rtsp-server-1.0).

A test pattern is encoded once with ffmpeg into Matroska and cached (keyed by the encode
parameters). Each client gets its own playback of that file from the start, in real time
(its own GStreamer pipeline), except on the --shared-mount mounts, which all share one.
LIMIT: no looping -- a client's stream ends (EOS, RTCP BYE) after --seconds, which
looks to the recorder like a camera closing the stream. Pick --seconds longer than the
run you need (the encode is cached, so a long clip costs once). A raw Annex-B file
with multifilesrc loop=true was tried: it carries no timestamps, so RTP time stood still.

Mounts (all on 127.0.0.1):
  --mount NAME          plain H.264 camera (repeatable)
  --shared-mount NAME   plain H.264 camera whose clients all join ONE playback (repeatable): every
                        --shared-mount is served by one pipeline (filesrc ! matroskademux ! h264parse
                        ! rtph264pay), so many cameras cost about one. Each client still has its own
                        RTSP session and RTP stream; one that joins mid-stream gets packets from that
                        moment (SPS/PPS come before every keyframe, config-interval=1), so a recorder
                        starts at the next keyframe. The Range of its PLAY is ignored (a seek would move
                        every client; the SDP says so with RFC 7273's a=ts-refclk:local and
                        a=mediaclk:sender). The playback starts with the first client and ends for
                        every client --seconds later (a late client gets what is left); when the last
                        client leaves it is dropped, and the next client starts a new one.
  --auth-mount NAME     H.264 behind RTSP auth, served on a second port (--auth-port,
                        default auto); credentials from --auth USER:PASS or $CAMSIM_AUTH
                        (never printed); --auth-scheme basic|digest
  --flap-mount NAME     serves --flap-up seconds, then ends its clients' streams and answers 404
                        for --flap-down seconds, repeatedly
  --stall-mount NAME    each client gets --stall-after seconds of video, then the stream
                        stops without the connection closing
  --h265-mount NAME     H.265 camera
  --g711-mount NAME     H.264 plus G.711 audio (--g711-law mulaw|alaw)
  --bframes-mount NAME  H.264 with B-frames (2 between references, pyramid): decode order is not
                        presentation order
  --aac-mount NAME      H.264 plus AAC-LC audio (48 kHz mono, a sine), both encoded once with
                        the video and cached; the audio is RFC 3640 mpeg4-generic (AAC-hbr)
  --tls-mount NAME      H.264 over RTSP over TLS (rtsps://), served on a third port (--tls-port,
                        default auto) with the certificate and key in --tls-cert PEM (one file)

When serving it prints one line on stdout:
  READY port=PORT [auth_port=PORT2] [tls_port=PORT3] cam1=rtsp://127.0.0.1:PORT/cam1 ...
and exits cleanly on SIGTERM/SIGINT.
"""
import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def log(msg):
    print(f"camsim: {msg}", file=sys.stderr, flush=True)


def encode(args, codec):
    """Encodes (once) the test pattern into a Matroska file; returns its path."""
    key = f"{codec}|{args.size}|{args.fps}|{args.seconds}|{args.bitrate}|{args.gop}|v3"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    os.makedirs(args.cache_dir, exist_ok=True)
    path = os.path.join(args.cache_dir, f"testsrc-{codec}-{digest}.mkv")
    if os.path.exists(path):
        return path
    enc = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:bframes=0"] if codec == "h265" else \
          ["-c:v", "libx264", "-preset", "veryfast", "-bf", "2" if codec == "h264bf" else "0"]
    src = f"testsrc2=size={args.size}:rate={args.fps},noise=alls=12:allf=t"
    audio = []
    if codec == "h264aac":
        audio = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-map", "0:v", "-map", "1:a",
                 "-c:a", "aac", "-b:a", "64k", "-ac", "1"]
    tmp = path + f".{os.getpid()}.tmp"
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", src, *audio,
           "-t", str(args.seconds), "-pix_fmt", "yuv420p", *enc,
           "-g", str(args.gop), "-keyint_min", str(args.gop), "-sc_threshold", "0",
           "-b:v", args.bitrate, "-f", "matroska", tmp]
    log(f"encoding {codec} {args.size}@{args.fps} {args.seconds}s into {path}")
    subprocess.run(cmd, check=True)
    os.replace(tmp, path)  # atomic: a concurrent camsim never sees half a file
    return path


def video_launch(path, codec):
    parse, pay = ("h264parse", "rtph264pay") if codec == "h264" else ("h265parse", "rtph265pay")
    return (f'filesrc location="{path}" ! matroskademux ! {parse} ! '
            f"valve name=valve drop=false ! {pay} name=pay0 pt=96 config-interval=1")


def aac_launch(path):
    """H.264 and the AAC track of one file, each as it was encoded (rtpmp4gpay: RFC 3640 AAC-hbr)."""
    return (f'filesrc location="{path}" ! matroskademux name=demux '
            f"demux.video_0 ! queue ! h264parse ! valve name=valve drop=false ! rtph264pay name=pay0 pt=96 config-interval=1 "
            f"demux.audio_0 ! queue ! aacparse ! rtpmp4gpay name=pay1 pt=97")


class SharedFactory(GstRtspServer.RTSPMediaFactory):
    """A shared factory whose media key is the same for every mount (the default key is the URL's path), so
    every mount it is added to joins one media, one pipeline.

    Its media cannot be seeked: a PLAY's Range (ffmpeg and HomeVault send npt=0.000-) would otherwise seek the
    shared pipeline and take every client back to the start, which they see as lost packets and time going back.
    GstRTSPMedia counts a stream that publishes its clock with an offset (RFC 7273 a=ts-refclk and a=mediaclk in
    the SDP) as not seekable, so the Range is ignored and the client joins where the playback is. (Dropping the
    Range in a pre-play-request handler does not work from Python: the context's request is a copy.)"""

    def __init__(self):
        super().__init__()
        self.set_publish_clock_mode(GstRtspServer.RTSPPublishClockMode.CLOCK_AND_OFFSET)

    def do_gen_key(self, _url):
        return "shared"


class Sim:
    def __init__(self, args):
        self.args = args
        self.server = self.new_server(args.port)
        self.mounts = self.server.get_mount_points()
        # RTSPAuth is server-wide, and an unauthenticated client is only challenged (401)
        # when it has no token at all; so authenticated mounts live on a second server.
        self.auth_server = self.new_server(args.auth_port) if args.auth_mount else None
        # TLS is server-wide too (RTSPAuth's certificate): rtsps:// mounts live on a third server.
        self.tls_server = self.new_server(args.tls_port) if args.tls_mount else None
        self.urls = []  # (name, server)
        self.flap_medias = set()
        self.fps = int(args.fps)

    @staticmethod
    def new_server(port):
        server = GstRtspServer.RTSPServer()
        server.set_address("127.0.0.1")
        server.set_service(str(port))
        return server

    def factory(self, launch, shared=False):
        f = SharedFactory() if shared else GstRtspServer.RTSPMediaFactory()
        f.set_launch(f"( {launch} )")
        f.set_shared(shared)
        f.set_eos_shutdown(False)
        return f

    @staticmethod
    def for_role(factory, role):
        """The factory, open only to clients whose token carries media.factory.role = role."""
        perms = GstRtspServer.RTSPPermissions()
        perms.add_role(role)
        perms.add_permission_for_role(role, "media.factory.access", True)
        perms.add_permission_for_role(role, "media.factory.construct", True)
        factory.set_permissions(perms)
        return factory

    def add(self, name, factory, server=None):
        server = server or self.server
        server.get_mount_points().add_factory(f"/{name}", factory)
        self.urls.append((name, server))

    def build(self):
        a = self.args
        need265 = bool(a.h265_mount)
        h264 = encode(a, "h264")
        h265 = encode(a, "h265") if need265 else None
        v264 = video_launch(h264, "h264")

        for name in a.mount:
            self.add(name, self.factory(v264))

        if a.shared_mount:
            shared = self.factory(v264, shared=True)
            shared.connect("media-configure", lambda _f, _m: log("shared playback started"))
            for name in a.shared_mount:
                self.add(name, shared)

        if a.auth_mount:
            creds = a.auth or os.environ.get("CAMSIM_AUTH", "")
            if ":" not in creds:
                sys.exit("camsim: --auth-mount needs --auth USER:PASS or CAMSIM_AUTH")
            user, password = creds.split(":", 1)
            auth = GstRtspServer.RTSPAuth()
            token = GstRtspServer.RTSPToken()
            token.set_string("media.factory.role", "user")
            if a.auth_scheme == "digest":
                auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
                auth.add_digest(user, password, token)
            else:
                auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
            self.auth_server.set_auth(auth)
        for name in a.auth_mount:
            self.add(name, self.for_role(self.factory(v264), "user"), self.auth_server)

        if a.tls_mount:
            if not a.tls_cert:
                sys.exit("camsim: --tls-mount needs --tls-cert PEM")
            auth = GstRtspServer.RTSPAuth()
            auth.set_tls_certificate(Gio.TlsCertificate.new_from_file(a.tls_cert))
            token = GstRtspServer.RTSPToken()
            token.set_string("media.factory.role", "anonymous")
            auth.set_default_token(token)  # no credentials: anyone who completes the handshake
            self.tls_server.set_auth(auth)
        for name in a.tls_mount:
            self.add(name, self.for_role(self.factory(v264), "anonymous"), self.tls_server)

        for name in a.h265_mount:
            self.add(name, self.factory(video_launch(h265, "h265")))

        for name in a.g711_mount:
            enc, pay = ("mulawenc", "rtppcmupay") if a.g711_law == "mulaw" else ("alawenc", "rtppcmapay")
            audio = (f"audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=8000,channels=1 ! "
                     f"{enc} ! {pay} name=pay1")
            self.add(name, self.factory(f"{v264} {audio}"))

        if a.bframes_mount:
            bframes = video_launch(encode(a, "h264bf"), "h264")
            for name in a.bframes_mount:
                self.add(name, self.factory(bframes))

        if a.aac_mount:
            aac = aac_launch(encode(a, "h264aac"))
            for name in a.aac_mount:
                self.add(name, self.factory(aac))

        for name in a.stall_mount:
            f = self.factory(v264)
            f.connect("media-configure", self.on_stall_media)
            self.add(name, f)

        for name in a.flap_mount:
            f = self.factory(v264)
            f.connect("media-configure", lambda _f, m: self.flap_medias.add(m))
            self.add(name, f)
            GLib.timeout_add(int(a.flap_up * 1000), self.flap_down, name, f)


    def on_stall_media(self, _factory, media):
        def stall():
            valve = media.get_element().get_by_name("valve")
            if valve is not None:
                valve.set_property("drop", True)
                log("stall mount stopped sending")
            return False
        GLib.timeout_add(int(self.args.stall_after * 1000), stall)

    def flap_down(self, name, factory):
        log(f"flap: /{name} down")
        # Unmounted: new clients get 404 until flap_up. Current clients get EOS, which the
        # server turns into RTCP BYE, so they see the stream end.
        self.mounts.remove_factory(f"/{name}")
        medias = list(self.flap_medias)
        self.flap_medias.clear()
        for m in medias:
            element = m.get_element()
            if element is not None:
                element.send_event(Gst.Event.new_eos())
        GLib.timeout_add(int(self.args.flap_down * 1000), self.flap_up, name, factory)
        return False

    def flap_up(self, name, factory):
        log(f"flap: /{name} up")
        self.mounts.add_factory(f"/{name}", factory)
        GLib.timeout_add(int(self.args.flap_up * 1000), self.flap_down, name, factory)
        return False

    def run(self):
        self.build()
        loop = GLib.MainLoop()
        for server in (self.server, self.auth_server, self.tls_server):
            if server is not None and server.attach(None) == 0:
                sys.exit(f"camsim: cannot bind 127.0.0.1:{server.get_service()}")
        port = self.server.get_bound_port()
        extra = f" auth_port={self.auth_server.get_bound_port()}" if self.auth_server else ""
        extra += f" tls_port={self.tls_server.get_bound_port()}" if self.tls_server else ""
        urls = " ".join(f"{n}={'rtsps' if s is self.tls_server else 'rtsp'}://127.0.0.1:{s.get_bound_port()}/{n}" for n, s in self.urls)
        print(f"READY port={port}{extra} {urls}", flush=True)
        for sig in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
        loop.run()
        log("stopping")


def main():
    p = argparse.ArgumentParser(description="RTSP camera simulator (GStreamer)")
    p.add_argument("--port", type=int, default=8554, help="0 = pick a free port (printed in READY)")
    p.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "camsim-cache"))
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--fps", default="15")
    p.add_argument("--seconds", type=int, default=120, help="length of the clip each client gets")
    p.add_argument("--bitrate", default="4M")
    p.add_argument("--gop", type=int, default=30, help="keyframe interval in frames")
    p.add_argument("--mount", action="append", default=[])
    p.add_argument("--shared-mount", action="append", default=[], help="plain H.264 camera on the one shared playback")
    p.add_argument("--auth-mount", action="append", default=[])
    p.add_argument("--auth-port", type=int, default=0, help="port of the authenticated mounts (0 = auto)")
    p.add_argument("--auth", help="USER:PASS for --auth-mount (else $CAMSIM_AUTH)")
    p.add_argument("--auth-scheme", choices=["basic", "digest"], default="basic")
    p.add_argument("--flap-mount", action="append", default=[])
    p.add_argument("--flap-up", type=float, default=6)
    p.add_argument("--flap-down", type=float, default=3)
    p.add_argument("--stall-mount", action="append", default=[])
    p.add_argument("--stall-after", type=float, default=4)
    p.add_argument("--h265-mount", action="append", default=[])
    p.add_argument("--g711-mount", action="append", default=[])
    p.add_argument("--g711-law", choices=["mulaw", "alaw"], default="mulaw")
    p.add_argument("--aac-mount", action="append", default=[])
    p.add_argument("--bframes-mount", action="append", default=[])
    p.add_argument("--tls-mount", action="append", default=[])
    p.add_argument("--tls-port", type=int, default=0, help="port of the rtsps:// mounts (0 = auto)")
    p.add_argument("--tls-cert", help="PEM file with the certificate and its private key, for --tls-mount")
    args = p.parse_args()
    if not (args.mount or args.shared_mount or args.auth_mount or args.flap_mount or args.stall_mount
            or args.h265_mount or args.g711_mount or args.aac_mount or args.bframes_mount or args.tls_mount):
        args.mount = ["cam1"]
    Gst.init(None)
    Sim(args).run()


if __name__ == "__main__":
    main()
