from pathlib import Path

import pytest

from resetlab.exceptions import ReaderError
from resetlab.reader.text import load_file, parse_article, split_sentences

MD = """# A Title About Russia

By [Jane Doe](#)

March 3, 2015

The U.S. and Russia met in Geneva. Mr. Lavrov said the talks were
useful. It was the
\n
first meeting of its kind.

Original url:

<https://www.themoscowtimes.com/2015/03/03/some-article-a1>
"""


def test_sentences_keep_abbreviations() -> None:
    out = split_sentences("The U.S. and Russia met. Mr. Lavrov spoke in Washington, D.C. today.")
    assert out == ["The U.S. and Russia met.", "Mr. Lavrov spoke in Washington, D.C. today."]


def test_markdown_metadata_and_broken_sentence() -> None:
    a = parse_article("x.md", MD)
    assert a.title == "A Title About Russia"
    assert a.author == "Jane Doe"
    assert a.outlet == "The Moscow Times"
    assert a.published is not None and a.published.isoformat() == "2015-03-03"
    texts = [s.text for s in a.sentences]
    assert "It was the first meeting of its kind." in texts


def test_published_option_wins() -> None:
    from datetime import date

    a = parse_article("x.md", MD, published=date(2016, 1, 1))
    assert a.published == date(2016, 1, 1)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        load_file(tmp_path / "missing.txt")
    pdf = tmp_path / "a.pdf"
    pdf.write_text("x")
    with pytest.raises(ReaderError, match="unsupported file type"):
        load_file(pdf)
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ReaderError, match="not UTF-8"):
        load_file(bad)


def test_html_boilerplate_stripped(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    body = " ".join(
        f"Paragraph {i}: the United States and Russia discussed arms control at length, "
        "and both sides agreed that further talks were needed before any treaty."
        for i in range(6)
    )
    html = (
        "<html><head><title>Arms talks resume</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/subscribe'>Subscribe now</a></nav>"
        f"<article><h1>Arms talks resume</h1><p>{body}</p></article>"
        "<footer>Copyright footer cookie notice</footer></body></html>"
    )
    f = tmp_path / "a.html"
    f.write_text(html, encoding="utf-8")
    text, meta = load_file(f)
    assert "arms control" in text
    assert "cookie notice" not in text and "Subscribe now" not in text
    assert meta.get("title") == "Arms talks resume"


def test_middle_initials_end_no_sentence() -> None:
    from resetlab.reader.text import split_sentences

    assert split_sentences("Presidents Clinton and Boris N. Yeltsin met. They talked.") == [
        "Presidents Clinton and Boris N. Yeltsin met.",
        "They talked.",
    ]
