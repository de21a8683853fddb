"""Load an article (.txt, .md, .html), find its metadata and split it into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from resetlab.exceptions import MissingExtraError, ReaderError
from resetlab.reader.dates import find_dates

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

#: Outlets recognised by web address or by name in the text (first match wins).
OUTLETS_BY_HOST: dict[str, str] = {
    "themoscowtimes.com": "The Moscow Times",
    "atlanticcouncil.org": "Atlantic Council",
    "nationalinterest.org": "The National Interest",
    "valdaiclub.com": "Valdai Discussion Club",
    "carnegieendowment.org": "Carnegie Endowment for International Peace",
    "foreignaffairs.com": "Foreign Affairs",
    "foreignpolicy.com": "Foreign Policy",
}
OUTLET_NAMES: tuple[str, ...] = (
    "The Moscow Times", "Atlantic Council", "The National Interest", "Valdai Discussion Club",
    "Carnegie Endowment", "Foreign Affairs", "Reuters", "Associated Press", "Politico",
)  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    """One sentence with its paragraph number and position in the article."""

    index: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class Article:
    """An article's text and metadata as read from one file."""

    file: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)
    #: ``day``, or ``month`` when only the month is known (``published`` is then its last day)
    published_precision: str = "day"
    #: the web address the text came from (an ``Address:`` line or the page's metadata)
    address: str | None = None


def load_file(path: Path) -> tuple[str, dict[str, str | None]]:
    """Text and HTML metadata of a file; raise ReaderError for a missing or unknown file."""
    if not path.exists():
        raise ReaderError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise ReaderError(
            f"{path}: unsupported file type {path.suffix!r} (use {', '.join(SUFFIXES)})"
        )
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if path.suffix.lower() in (".html", ".htm"):
        return html_to_text(raw, str(path))
    return raw, {}


def html_to_text(html: str, name: str = "<html>") -> tuple[str, dict[str, str | None]]:
    """Main text of an HTML page with boilerplate stripped (trafilatura), and its metadata."""
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingExtraError("trafilatura", "reader") from exc
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text:
        raise ReaderError(f"{name}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    info: dict[str, str | None] = {}
    if meta is not None:
        info = {
            "title": meta.title,
            "author": meta.author,
            "outlet": meta.sitename,
            "published": meta.date,
        }
    if info.get("title") and not text.lstrip().startswith(str(info["title"])):
        text = f"{info['title']}\n\n{text}"
    return text, info


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w))")


def clean_markdown(text: str) -> str:
    """Drop Markdown link targets, emphasis and heading marks, keeping the words."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARK.sub("", text)
    return re.sub(r"(?m)^#{1,6}\s*", "", text)


def paragraphs(text: str) -> list[str]:
    """Paragraphs, rejoining a sentence broken by a stray blank line."""
    parts = [" ".join(p.split()) for p in text.split("\n")]
    parts = [p for p in parts if p]
    out: list[str] = []
    for p in parts:
        if out and len(out[-1]) > 60 and not re.search(r"[.!?:\"”’)]$", out[-1]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out


_ABBREV = (
    "U.S.", "U.N.", "U.K.", "E.U.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Sen.", "Rep.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "No.",
    "H.W.", "W.", "M.", "D.C.", "vs.", "e.g.", "i.e.", "etc.",
)  # fmt: skip


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as "U.S." whole."""
    protected = paragraph
    for i, ab in enumerate(_ABBREV):
        protected = protected.replace(ab, ab.replace(".", f"\x00{i}\x01"))
    protected = re.sub(r"\b([A-Z])\.(?=\s?[A-Z]\.)", "\\1\x02", protected)
    # a middle initial ("Boris N. Yeltsin", "George W. Bush") ends no sentence
    protected = re.sub(r"(\b[A-Z][a-z]{2,} [A-Z])\.(?= [A-Z][a-z])", "\\1\x02", protected)
    pieces = re.split(
        r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z][.!?])(?=[A-Z][a-z])", protected
    )
    out = []
    for piece in pieces:
        for i, ab in enumerate(_ABBREV):
            piece = piece.replace(ab.replace(".", f"\x00{i}\x01"), ab)
        piece = piece.replace("\x02", ".").strip()
        if piece:
            out.append(piece)
    return out


def sentences_of(text: str) -> tuple[Sentence, ...]:
    """Every sentence of an article, numbered, with the paragraph it sits in."""
    out: list[Sentence] = []
    for pi, para in enumerate(paragraphs(text)):
        for s in split_sentences(para):
            out.append(Sentence(len(out), pi, s))
    return tuple(out)


def _title(paras: list[str]) -> str | None:
    if not paras:
        return None
    first = paras[0].strip()
    if (
        len(first) <= 150
        and not first.endswith((".", "!"))
        or first.endswith("?")
        and len(first) <= 150
    ):
        return first
    return None


_HEADER = re.compile(r"^(Title|Address|URL|Published|Date|Author):[ \t]*(.*)$", re.I)
_MONTH_ABBR = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}
#: Dates in web addresses: /2009/03/06/, /2016/Dec-30/, /1991/8/1/, /2014/mar/4/,
#: /1993-04-05/, /9903/29/ (CNN's yymm/dd), and ids ending in YYYYMMDD.
_ADDRESS_DATES = (
    (re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)"), "ymd"),
    (re.compile(r"/((?:19|20)\d\d)-(\d\d)-(\d\d)(?:/|$)"), "ymd"),
    (re.compile(r"/((?:19|20)\d\d)/([A-Za-z]{3})[a-z]*[-/](\d{1,2})(?:/|\b)"), "ybd"),
    (re.compile(r"[-/]((?:19|20)\d\d)-(\d\d)-(\d\d)[-/]"), "ymd"),
    (re.compile(r"\D((?:19|20)\d\d)(\d\d)(\d\d)(?:\D|$)"), "ymd"),
    (re.compile(r"/([0-9]{2})(\d\d)/(\d\d)/"), "yymd"),
    (re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/"), "ym"),
)


@dataclass(frozen=True)
class Published:
    """A publication date, its precision (day or month) and where it was read."""

    value: date
    precision: str
    source: str


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Leading ``Title:``, ``Address:``, ``Published:`` lines (as stored pages give them)
    as a mapping, and the text without them."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        m = _HEADER.match(line)
        if m:
            header.setdefault(m.group(1).lower(), m.group(2).strip())
        elif line:
            break
        i += 1
    return header, "\n".join(lines[i:])


def _month_end(y: int, m: int) -> date:
    import calendar

    return date(y, m, calendar.monthrange(y, m)[1])


def date_from_address(address: str) -> Published | None:
    """The date a web address carries, if any (day, else month precision)."""
    for pattern, kind in _ADDRESS_DATES:
        m = pattern.search(address)
        if not m:
            continue
        try:
            if kind == "ymd":
                return Published(date(int(m[1]), int(m[2]), int(m[3])), "day", "address")
            if kind == "ybd" and m[2].lower()[:3] in _MONTH_ABBR:
                mon = _MONTH_ABBR[m[2].lower()[:3]]
                return Published(date(int(m[1]), mon, int(m[3])), "day", "address")
            if kind == "yymd":
                yy = int(m[1])
                year = 1900 + yy if yy >= 70 else 2000 + yy
                return Published(date(year, int(m[2]), int(m[3])), "day", "address")
            if kind == "ym":
                return Published(_month_end(int(m[1]), int(m[2])), "month", "address")
        except ValueError:
            continue
    return None


def date_from_line(value: str) -> Published | None:
    """A publication date from a ``Published:`` line: ISO, a written date with a year, or
    what ``dateparser`` reads (a date without a year is not taken)."""
    value = value.strip()
    m = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        try:
            return Published(date(int(m[1]), int(m[2]), int(m[3])), "day", "line")
        except ValueError:
            return None
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b", value)
    if m:
        try:
            return Published(date(int(m[3]), int(m[1]), int(m[2])), "day", "line")
        except ValueError:
            return None
    for d in find_dates(value):
        if d.precision == "day" and d.value and not d.relative:
            return Published(date.fromisoformat(d.value), "day", "line")
    if not re.search(r"(?:19|20)\d\d", value):
        return None
    try:
        import dateparser
    except ImportError:  # the reader extra is missing: the patterns above must do
        return None
    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return Published(parsed.date(), "day", "line") if parsed is not None else None


def _dateline(paras: list[str]) -> Published | None:
    """A dated dateline or title: "Helsinki, 21 March 1997 (RFE/RL) --",
    "WASHINGTON, March 25, 1997 –", "... Treaty - 2002-05-23"."""
    for para in paras[:3]:
        head = para[:90]
        m = re.search(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", head)
        if m and not re.search(r"https?://", head):
            try:
                return Published(date(int(m[1]), int(m[2]), int(m[3])), "day", "dateline")
            except ValueError:
                pass
        m = re.match(r"^[A-Z][\w .,-]{1,40}?,\s+(.{6,30}?\b(?:19|20)\d\d)\b", head)
        if m:
            for d in find_dates(m.group(1)):
                if d.precision == "day" and d.value and not d.relative:
                    return Published(date.fromisoformat(d.value), "day", "dateline")
    return None


def find_published(header: dict[str, str], paras: list[str]) -> Published | None:
    """The publication date: the ``Published:`` line, else the address, else a dateline."""
    if header.get("published") or header.get("date"):
        got = date_from_line(header.get("published") or header.get("date") or "")
        if got is not None:
            return got
    for key in ("address", "url"):
        if header.get(key):
            got = date_from_address(header[key])
            if got is not None:
                return got
    return _dateline(([header["title"]] if header.get("title") else []) + paras)


def _published(lines: list[str], text: str) -> date | None:
    for line in lines[:15]:
        if len(line) > 60:
            continue
        for d in find_dates(line):
            if d.precision == "day" and d.value and not d.relative:
                return date.fromisoformat(d.value)
    m = re.search(r"https?://\S+?/(\d{4})/(\d{2})/(\d{2})/", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _outlet(text: str) -> str | None:
    for m in re.finditer(r"https?://(?:www\.)?([\w.-]+)", text):
        host = m.group(1).lower()
        for known, name in OUTLETS_BY_HOST.items():
            if host.endswith(known):
                return name
    counts = {name: text.count(name) for name in OUTLET_NAMES}
    best = max(OUTLET_NAMES, key=lambda n: counts[n])
    return best if counts[best] else None


def _author(lines: list[str]) -> str | None:
    for line in lines[:15]:
        m = re.match(r"^By\s+(.{3,80})$", line.strip())
        if m:
            return m.group(1).strip()
    return None


def parse_article(
    file: str,
    raw: str,
    published: date | None = None,
    meta: dict[str, str | None] | None = None,
) -> Article:
    """An :class:`Article` from raw text: cleaned text, metadata and sentences.

    ``published`` (from ``--published``) wins over a date found in the text.
    """
    meta = meta or {}
    header, body = split_header(clean_markdown(raw).replace("\r\n", "\n"))
    text = body if header else clean_markdown(raw).replace("\r\n", "\n")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    paras = paragraphs(text)
    pub = published
    pub_precision = "day"
    if pub is None and meta.get("published"):
        try:
            pub = date.fromisoformat(str(meta["published"])[:10])
        except ValueError:
            pub = None
    if pub is None and header:
        found = find_published(header, paras)
        if found is not None:
            pub, pub_precision = found.value, found.precision
    if pub is None:
        pub = _published(lines, text)
    return Article(
        file=file,
        text=text,
        title=meta.get("title") or header.get("title") or _title(paras),
        outlet=meta.get("outlet") or _outlet(raw),
        author=meta.get("author") or _author(lines),
        published=pub,
        sentences=sentences_of(text),
        published_precision=pub_precision,
        address=meta.get("url") or header.get("address") or header.get("url"),
    )
