"""The widget's script as served (read once per process: the file ships inside the package)."""

from functools import cache
from pathlib import Path

from app.static_files import Asset, load

SOURCE = Path(__file__).with_name("widget.js")
MEDIA_TYPE = "text/javascript; charset=utf-8"  # RFC 9239


@cache
def widget_asset() -> Asset:
    return load(SOURCE, MEDIA_TYPE)
