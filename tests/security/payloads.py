"""A corpus of classic injection payloads and the check that a page shows them only as text.

`assert_shown_as_text(page, values)` parses the page as a browser would and fails when any payload became markup:
a <script> that is not one of the app's own /static/ files, an on* event attribute, a javascript: URL, an element a
payload brings (iframe, svg, object, embed, base, meta refresh, style), or a payload with markup characters standing
in the HTML unescaped. It also checks that each value is really on the page (unescaped it reads as typed), so a page
that simply dropped the value cannot pass, and that template syntax was not evaluated."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SCRIPT = '<script>alert("xss-1")</script>'
IMG = "<img src=x onerror=alert('xss-2')>"
SVG = "<svg/onload=alert(3)>"
BREAK_DOUBLE = '"><script>alert(4)</script>'
BREAK_SINGLE = "' onmouseover='alert(5)' data-x='"
AUTOFOCUS = '" autofocus onfocus="alert(6)" x="'
JS_URL = "javascript:alert(7)"
LINK = '<a href="javascript:alert(8)">klik her</a>'
TEMPLATE = "{{ 1234*5678 }} {{7*7}} ${7*7} {{ config.SECRET_KEY }} {% if 1 %}ja{% endif %}"
TEXTAREA = "</textarea><script>alert(10)</script>"
TITLE = "</title><style>body{display:none}</style>"
IFRAME = '<iframe srcdoc="&lt;script&gt;alert(12)&lt;/script&gt;"></iframe>'
PRE_ESCAPED = "&lt;script&gt;alert(13)&lt;/script&gt; &amp; &#60;b&#62;"
COMMENT = "--><script>alert(14)</script><!--"
META = '<meta http-equiv="refresh" content="0;url=https://angriber.example/">'
RTL = "blodpr\u00f8ve\u202e<b>fed</b>\u202c \u200bnul\u200dbredde \U0001F489 \ufeff"
SVG_USE = '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(16)>"/></svg>'

CORPUS = [SCRIPT, IMG, SVG, BREAK_DOUBLE, BREAK_SINGLE, AUTOFOCUS, JS_URL, LINK, TEMPLATE, TEXTAREA, TITLE, IFRAME,
          PRE_ESCAPED, COMMENT, META, RTL, SVG_USE]
SHORT = [p for p in CORPUS if len(p) <= 100]  # fits a tag (at most 100 characters)
# A very long value: 4,000 characters of markup (within a description's 10,000).
LONG = ("<b onclick=alert(17)>lang</b>" * 200)[:4000].rsplit("<", 1)[0]

EVALUATED = "7006652"  # 1234*5678: on the page only if a template evaluated the payload
SECRET = "test-secret-key"  # tests' SECRET_KEY: shown only if {{ config.SECRET_KEY }} was evaluated
MARKUP_CHARS = re.compile(r"[<>\"'&]")
FORBIDDEN_TAGS = {"iframe", "svg", "object", "embed", "base", "use", "img", "marquee"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element: {attrs}")
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> not from /static/: {attrs}")
        if tag == "meta" and "http-equiv" in a:
            self.problems.append(f"<meta http-equiv>: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}={value!r} on <{tag}>")
            if name in {"autofocus", "data-x", "x"}:
                self.problems.append(f"injected attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                    ("javascript:", "data:text/html", "vbscript:")):
                self.problems.append(f"script URL {name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def markup_problems(page: str, allow_style: bool = False) -> list[str]:
    parser = _Markup()
    parser.feed(page)
    parser.close()
    problems = parser.problems
    if not allow_style and "style" in parser.tags:
        problems.append("<style> element")
    return problems


def assert_shown_as_text(page: str, values: list[str], where: str, allow_style: bool = False,
                         shown: bool = True) -> None:
    """`values` are on `page` as text only. With shown=False the values need not all be there (a snippet)."""
    problems = markup_problems(page, allow_style)
    for value in values:
        if MARKUP_CHARS.search(value) and value in page:
            problems.append(f"unescaped in the HTML: {value[:60]!r}")
    text = html.unescape(re.sub(r"</?mark>", "", page))  # search highlights words with <mark>
    if shown:
        missing = [v[:60] for v in values if v not in text]
        if missing:
            problems.append(f"not on the page: {missing}")
    if any(TEMPLATE in v for v in values) and shown:
        if EVALUATED in text or SECRET in text:
            problems.append("template syntax was evaluated")
    assert not problems, f"{where}:\n" + "\n".join(problems[:20])
