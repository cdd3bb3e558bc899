"""Main text and metadata out of HTML pages, Markdown and plain-text documents (with or without YAML front matter)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import markdown
import trafilatura
import yaml
from frontmatter.default_handlers import YAMLHandler
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import use_config
from trafilatura.xml import xmltotxt

# htmldate's extensive search reads dates out of running text and footers (a "n. 12/2010" court registration became
# the publication date in testing); metadata, <time> elements and the URL are precise enough.
DATE_PARAMS = {"original_date": True, "extensive_search": False}
TITLE_MAX_CHARS = 150
BLOCK_TAGS = ("p", "div", "li", "dd", "dt", "blockquote", "pre", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br")
WHITESPACE = re.compile(r"\s+")
# Broken markup can hide the article from trafilatura's precise pass; the balanced pass that reads such pages again
# also returns the navigation words of pages with no article, so it must find trafilatura's own minimum of main text.
BALANCED_CONFIG = use_config()
BALANCED_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", BALANCED_CONFIG.get("DEFAULT", "MIN_EXTRACTED_SIZE"))
HTML_PASSES: tuple[dict[str, Any], ...] = ({"favor_precision": True}, {"config": BALANCED_CONFIG})
FRONT_MATTER = YAMLHandler()
logging.getLogger("trafilatura").setLevel(logging.ERROR)  # "discarding data" on every page without main text


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601 date or timestamp
    url: str | None = None


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601 date or timestamp
    url: str | None = None  # the canonical URL the document declares


def extract_html(html: str, url: str | None = None) -> Extracted | None:
    """The article in a web page, or None when the page has no main text."""
    for options in HTML_PASSES:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=DATE_PARAMS,
            **options,
        )
        article = None if document is None else _article(document)
        if article is not None:
            return article
    return None


def extract_markdown(source: str) -> Extracted | None:
    """Front matter, else the first `# ` heading, gives the title; body as plain text; None when there is no body."""
    metadata, body = read_front_matter(source)
    lines = body.splitlines()
    title = metadata.title
    if title is None:
        for index, line in enumerate(lines):
            if line.startswith("# "):
                title = clean_line(html_fragment_text(markdown.markdown(line[2:].strip().rstrip("#"))))
                del lines[index]
                break
    text = html_fragment_text(markdown.markdown("\n".join(lines)))
    return _document(text, metadata, title)


def extract_plain(source: str) -> Extracted | None:
    """Front matter gives the title, else the first line when it is short and followed by a blank line; None when
    there is no body."""
    metadata, body = read_front_matter(source)
    lines = body.strip().splitlines()
    title = metadata.title
    if title is None and len(lines) > 2 and not lines[1].strip() and len(lines[0].strip()) <= TITLE_MAX_CHARS:
        title = clean_line(lines[0])
        lines = lines[2:]
    text = tidy_lines("\n".join(lines))
    return _document(text, metadata, title)


def read_front_matter(source: str) -> tuple[Metadata, str]:
    """Title, date (or published_at), author and url from a leading YAML block between `---` lines, and the body
    after it. A block that is not valid YAML (`title: Milano: borsa in rialzo`) is dropped without metadata; one that
    is valid YAML but not a mapping is no front matter, so the text stays whole."""
    source = source.strip()
    if not FRONT_MATTER.detect(source):
        return Metadata(), source
    try:
        block, body = FRONT_MATTER.split(source)
    except ValueError:  # no closing `---`
        return Metadata(), source
    try:
        fields = FRONT_MATTER.load(block)
    except yaml.YAMLError:
        return Metadata(), body.strip()
    if not isinstance(fields, dict):
        return Metadata(), source
    metadata = Metadata(
        title=clean_line(_scalar(fields.get("title"))),
        author=clean_line(_scalar(fields.get("author"))),
        published_at=iso_date(fields.get("date") or fields.get("published_at")),
        url=clean_line(_scalar(fields.get("url"))),
    )
    return metadata, body.strip()


def iso_date(value: object) -> str | None:
    """An ISO 8601 date or timestamp from a date, a datetime or an ISO string; None for anything else."""
    if isinstance(value, date):  # datetime included
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return value.strip()


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary, rendered Markdown): one line per block element."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        element.text = _collapse(element.text)
        element.tail = _collapse(element.tail)
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return tidy_lines(root.text_content())


def clean_line(value: str | None) -> str | None:
    """A single-line string with collapsed whitespace, None when empty."""
    if not value:
        return None
    return " ".join(value.split()) or None


def tidy_lines(text: str) -> str:
    """Whitespace collapsed within lines, blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _article(document: Any) -> Extracted | None:
    title = clean_line(document.title)
    body = document.body
    _drop_leading_title(body, title)
    for element in body.iter():
        element.text = _collapse(element.text)
        element.tail = _collapse(element.tail)
    text = tidy_lines(xmltotxt(body, include_formatting=False))
    if not text:
        return None
    return Extracted(
        text=text,
        title=title,
        author=clean_line(document.author),
        published_at=document.date,
        url=clean_line(document.url),
    )


def _document(text: str, metadata: Metadata, title: str | None) -> Extracted | None:
    if not text:
        return None
    return Extracted(
        text=text, title=title, author=metadata.author, published_at=metadata.published_at, url=metadata.url
    )


def _scalar(value: object) -> str | None:
    """YAML reads `title: 2026` as a number; such scalars count as text, lists and mappings do not."""
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _drop_leading_title(body: etree._Element, title: str | None) -> None:
    first = body[0] if len(body) else None
    if title and first is not None and first.tag == "head" and clean_line(first.xpath("string()")) == title:
        body.remove(first)


def _collapse(value: str | None) -> str | None:
    return WHITESPACE.sub(" ", value) if value else value
