"""The only resources a PDF may load: the app's own static files (and inline data: URLs).

WeasyPrint asks its URL fetcher for every stylesheet, image and font a document names. The default fetcher would
follow file:// and http(s):// anywhere, so a link in the knowledge (or a crafted one) could read local files or make
the server call out. Ours answers a URL only when it is `<the app's base URL>/static/<file>` and the file lies
inside kb/static; it reads that file from disk (never over the network) and refuses everything else.

No file:// at all: pdf.css names its font by family ("DejaVu Sans"), which Pango loads through fontconfig without
asking the fetcher; an @font-face with local() would come here as file:// and be refused.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:  # WeasyPrint >= 68: fetchers are URLFetcher objects returning URLFetcherResponse
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except ImportError:  # pragma: no cover - older WeasyPrint: a fetcher is a function returning a dict
    URLFetcher = URLFetcherResponse = None

STATIC_PREFIX = "/static/"


class FetchRefused(ValueError):
    """A PDF asked for a resource outside the app's own static files."""


class StaticFiles:
    """Maps `<base>/static/…` URLs to files inside `root`; None for data: URLs; refuses the rest."""

    def __init__(self, base_url: str, root: Path):
        base = urlsplit(base_url)
        self.origin = (base.scheme.lower(), base.netloc.lower())
        self.prefix = base.path.rstrip("/") + STATIC_PREFIX
        self.root = Path(root).resolve()

    def resolve(self, url: str) -> Path | None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None
        if (scheme, parts.netloc.lower()) != self.origin or not parts.path.startswith(self.prefix):
            raise FetchRefused(f"PDF: kun appens egne statiske filer må hentes, ikke {url!r}")
        relative = unquote(parts.path[len(self.prefix):])
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"PDF: {url!r} er ikke en statisk fil i appen")
        return path


def _mime_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


if URLFetcher is not None:

    class StaticOnlyFetcher(URLFetcher):
        """A WeasyPrint URL fetcher that serves `StaticFiles` and data: URLs and nothing else."""

        def __init__(self, files: StaticFiles):
            super().__init__(allowed_protocols=("data",))  # the parent only ever opens data: URLs for us
            self.files = files

        def fetch(self, url, headers=None):
            path = self.files.resolve(url)
            if path is None:
                return super().fetch(url, headers)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime_type(path)})


def make_url_fetcher(base_url: str, root: Path):
    """The fetcher to hand to weasyprint.HTML(url_fetcher=…); calling it with a URL fetches or raises."""
    files = StaticFiles(base_url, root)
    if URLFetcher is not None:
        return StaticOnlyFetcher(files)

    from weasyprint import default_url_fetcher  # pragma: no cover - WeasyPrint < 68

    def fetch(url: str):  # pragma: no cover
        path = files.resolve(url)
        if path is None:
            return default_url_fetcher(url, allowed_protocols=("data",))
        return {"string": path.read_bytes(), "mime_type": _mime_type(path), "redirected_url": url}

    return fetch
