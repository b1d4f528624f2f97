"""Comment bodies are plain text: whatever people type renders as inert text, links aside."""

import re
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

from civic.discussions.rendering import _clean_html, normalise_text, render_body

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href='https://example.org' onclick='alert(1)'>x</a>",
    "javascript:alert(1)",
    "<body onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--<img src=x onerror=alert(1)>-->",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/'onmouseover='alert(1)",
    "https://example.org/<script>alert(1)</script>",
    "http://x.org/?q=<img src=x onerror=alert(1)>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "{{ request.user }} {% csrf_token %}",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<p>line</p>\n<br onmouseover=alert(1)>",
]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_render_as_inert_text(payload):
    html = str(render_body(payload))
    for tag, attrs in parse(html):
        assert tag in {"a", "br"}, html
        assert set(attrs) <= {"href", "rel"}, html
        if tag == "a":
            assert re.match(r"^https?://", attrs["href"]), html
            assert not any(char in attrs["href"] for char in "<>\"'"), html
    assert "<script" not in html.lower()


def test_links_are_clickable_and_marked_as_user_content():
    html = str(render_body("Plan: https://example.org/plan?a=1&b=2. Thanks"))
    assert (
        '<a href="https://example.org/plan?a=1&amp;b=2" rel="nofollow ugc noopener noreferrer">'
        "https://example.org/plan?a=1&amp;b=2</a>. Thanks"
    ) in html


def test_a_link_in_parentheses_keeps_its_own_parentheses():
    html = str(render_body("(see https://fr.wikipedia.org/wiki/Rue_(voie))"))
    assert 'href="https://fr.wikipedia.org/wiki/Rue_(voie)"' in html
    assert html.endswith("</a>)")


def test_line_breaks_are_kept():
    assert str(render_body("one\ntwo")) == "one<br>\ntwo"


def test_only_http_links_are_made():
    for text in ["ftp://example.org/file", "mailto:someone@example.org", "www.example.org"]:
        assert "<a" not in str(render_body(text))


def test_a_text_already_rendered_comes_from_the_cache_unchanged():
    text = "Cached once: https://example.org/a <script>alert(1)</script>"
    first = render_body(text)
    hits = _clean_html.cache_info().hits
    again = render_body(text)
    assert _clean_html.cache_info().hits == hits + 1
    assert again == first and isinstance(again, SafeString)
    assert "<script" not in again
    assert render_body(text + "!") != first


def test_normalise_text_removes_control_characters_and_extra_blank_lines():
    assert normalise_text("a\x00b\x1b\r\n\n\n\nc\x7f ") == "ab\n\nc"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_rendered_thread_keeps_payloads_inert(payload, thread, comment_factory, render_thread, resident):
    comment_factory(target=thread, body=payload)
    html = render_thread(thread, resident)
    text = html.split('class="comment__text">', 1)[1].split("</div>", 1)[0]
    for tag, attrs in parse(text):
        assert tag in {"a", "br"}, text
        assert set(attrs) <= {"href", "rel"}, text
    for tag, attrs in parse(html):
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "script":
            assert attrs.get("type") in {"application/json", "module"}, attrs
        assert tag not in {"img", "svg", "iframe", "object", "style", "base", "meta", "math"}, tag
