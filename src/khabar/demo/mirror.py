"""``python -m khabar.demo.mirror [--port N] [--scale N]``: serve the demo outlets until Ctrl-C."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Sequence

from khabar.demo.server import DemoMirror

__all__ = ["DemoMirror", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m khabar.demo.mirror",
        description="Serve the Khabar demo outlets (real Arabic articles) on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    parser.add_argument("--scale", type=int, default=1, help="copies of the 500-article corpus")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    with DemoMirror(args.port, scale=args.scale) as mirror:
        print(f"Khabar demo mirror: {mirror.base_url}/  (Ctrl-C to stop)", flush=True)
        print(f"OPML: {mirror.opml_url}", flush=True)
        for url in mirror.feed_urls():
            print(f"  feed: {url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
