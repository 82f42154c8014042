"""Links on an HTML page: absolute address plus the visible link text."""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

DOCUMENT_SUFFIXES = {".pdf"}
SKIPPED_SUFFIXES = {
    ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".ico", ".css", ".js", ".zip", ".mp3", ".mp4",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".xml", ".rss", ".json", ".txt", ".csv",
}


@dataclass(frozen=True)
class Link:
    url: str
    text: str


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, list[str]]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "base" and attributes.get("href") and self.base is None:
            self.base = attributes["href"]
        elif tag == "a" and attributes.get("href"):
            title = attributes.get("title") or ""
            self._open = [f"{title} " if title else ""]
            self.links.append((attributes["href"], self._open))
        elif tag == "img" and self._open is not None:
            self._open.append(f" {attributes.get('alt') or ''} ")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None


def page_links(html: str, page_url: str) -> list[Link]:
    """Every http(s) link on the page, absolute, without fragment, first occurrence kept."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    base = urljoin(page_url, collector.base) if collector.base else page_url
    seen: dict[str, Link] = {}
    for href, parts in collector.links:
        url, _ = urldefrag(urljoin(base, href.strip()))
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen[url] = Link(url=url, text=" ".join("".join(parts).split()))
    return list(seen.values())


def suffix_of(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def looks_like_document(url: str) -> bool:
    return suffix_of(url) in DOCUMENT_SUFFIXES


def worth_crawling(url: str) -> bool:
    """A link that may lead to an HTML page (not an image, office file, feed…)."""
    suffix = suffix_of(url)
    return suffix not in DOCUMENT_SUFFIXES and suffix not in SKIPPED_SUFFIXES
