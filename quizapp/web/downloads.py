"""Files sent as downloads, with a ``Content-Disposition`` no request can bend.

A download's name is often built from what a request asked for (the bank export's
category and tag), and written raw into the header a newline made the response fail,
a character outside Latin-1 made gunicorn fail, and a quote let a link add a
``filename*`` of its own and choose the saved file's extension. So the name is cut
down to a slug first and then written as werkzeug's ``send_file`` writes it: a plain
``filename`` when it is ASCII, else an ASCII ``filename`` beside the RFC 5987
``filename*`` the browser prefers, each quoted by werkzeug's header code.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response
from werkzeug.utils import secure_filename

#: Anything but letters, digits (in any script), ``_`` and ``.``: a run of them becomes one
#: hyphen (hyphens are in the run too, so none doubles), and no quote, semicolon, slash,
#: space or control character survives.
_UNSAFE = re.compile(r"[^\w.]+")
#: RFC 5987's attr-char less the alphanumerics, as ``send_file`` passes to ``quote``.
_ATTR_CHARS = "!#$&+-.^_`|~"
FALLBACK = "download"


def slug(name: str) -> str:
    """``name`` as a file name that is safe in a header and on a disk."""
    return _UNSAFE.sub("-", name).strip("-._") or FALLBACK


def disposition(name: str) -> dict[str, str]:
    """The ``Content-Disposition`` parameters for a download called (a slug of) ``name``."""
    safe = slug(name)
    if safe.isascii():
        return {"filename": safe}
    return {
        "filename": secure_filename(safe) or FALLBACK,
        "filename*": f"UTF-8''{quote(safe, safe=_ATTR_CHARS)}",
    }


def attachment(body: str | bytes, name: str, mimetype: str) -> Response:
    """``body`` as a download named (a slug of) ``name``."""
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", **disposition(name))
    return response
