"""The comments' HTML (civic/discussions/comment_html.py): what each viewer sees does not depend on
what was rendered before, cached parts follow edits, names, language and time zone, and the
markup is the one discussions.js reads."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation

from civic.discussions.comment_html import _header
from civic.discussions.rendering import _clean_html
from civic.discussions.services import comment_edit
from civic.moderation.models import ModerationState

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def find_all(self, predicate):
        for child in self.children:
            if predicate(child):
                yield child
            yield from child.find_all(predicate)

    def find(self, predicate):
        return next(self.find_all(predicate), None)

    def child(self, predicate):
        return next((child for child in self.children if predicate(child)), None)


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"</{tag}> closes nothing"
        self.current = node.parent

    def handle_data(self, data):
        self.current.text += data


def tree(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "an element is left open"
    return builder.root


def without_token(html: str) -> str:
    """Each render makes a new CSRF token (no cookie in these requests)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


@pytest.fixture
def busy_thread(thread, comment_factory, user_factory, support_factory, flag_factory):
    """A thread where two people see different things: own pending and hidden comments,
    a supported and reported comment, a reply, an edited comment, a deleted one with a reply."""
    author, other = user_factory(display_name="Alice"), user_factory(display_name="Bob")
    first = comment_factory(target=thread, author=author, body="Plant trees https://example.org/trees")
    comment_factory(target=thread, author=other, parent=first, body="Yes, limes.")
    comment_factory(target=thread, author=author, parent=first, body="Waiting reply", moderation_state="pending")
    comment_factory(target=thread, author=author, body="Held words", moderation_state=ModerationState.PENDING)
    comment_factory(
        target=thread,
        author=author,
        body="Hidden words",
        moderation_state=ModerationState.HIDDEN,
        moderation_reason="Off topic",
    )
    theirs = comment_factory(target=thread, author=other, body="Benches", support_count=1, edited_at=timezone.now())
    support_factory(comment=theirs, user=author)
    flag_factory(item=theirs, flagged_by=author)
    gone = comment_factory(target=thread, author=other, body="", deleted_at=timezone.now())
    comment_factory(target=thread, author=author, parent=gone, body="Answer to a deleted comment")
    comment_factory(target=thread, author=None, body="From a deleted account")
    return {"author": author, "other": other, "first": first, "theirs": theirs}


def what_the_viewer_may_do(html: str, comment) -> dict:
    item = tree(html).find(lambda node: node.attrs.get("id") == f"comment-{comment.pk}")
    card = item.child(lambda node: node.tag == "article")
    links = [node.attrs["href"] for node in card.find_all(lambda node: node.tag == "a")]
    pressed = card.find(lambda node: node.tag == "button" and "aria-pressed" in node.attrs)
    return {
        "own": "comment--own" in item.classes,
        "edit": any("/modifier/" in link for link in links),
        "delete": any("/supprimer/" in link for link in links),
        "support": pressed.attrs["aria-pressed"] if pressed else None,
        "report": "flag" if any("/signaler/" in link for link in links) else None,
        "reported": card.find(lambda node: "comment__flagged" in node.classes) is not None,
        "reply": item.child(lambda node: node.tag == "details") is not None,
    }


def test_each_viewer_sees_their_own_actions_whatever_was_rendered_before(busy_thread, thread, render_thread):
    author, other, first, theirs = (busy_thread[key] for key in ("author", "other", "first", "theirs"))
    viewers = [author, other, None]
    cold = {}
    for index, viewer in enumerate(viewers):
        _header.cache_clear()
        _clean_html.cache_clear()
        cold[index] = without_token(render_thread(thread, viewer))
    warm = {index: without_token(render_thread(thread, viewer)) for index, viewer in enumerate(viewers)}
    warm_reversed = {index: without_token(render_thread(thread, viewers[index])) for index in (2, 1, 0)}
    assert cold == warm == warm_reversed
    nothing = {"own": False, "edit": False, "delete": False, "support": None, "report": None, "reported": False}
    assert what_the_viewer_may_do(warm[0], first) == {
        **nothing,
        "own": True,
        "edit": True,
        "delete": True,
        "reply": True,
    }
    assert what_the_viewer_may_do(warm[0], theirs) == {**nothing, "support": "true", "reported": True, "reply": True}
    assert what_the_viewer_may_do(warm[1], first) == {**nothing, "support": "false", "report": "flag", "reply": True}
    assert what_the_viewer_may_do(warm[1], theirs) == {
        **nothing,
        "own": True,
        "edit": True,
        "delete": True,
        "reply": True,
    }
    assert what_the_viewer_may_do(warm[2], first) == {**nothing, "reply": False}
    assert "Held words" in warm[0] and "Off topic" in warm[0]
    assert "Held words" not in warm[1] and "Held words" not in warm[2]


def test_edits_and_names_show_at_once(thread, comment_factory, render_thread, resident, user_factory):
    author = user_factory(display_name="Alice")
    comment = comment_factory(target=thread, author=author, body="First words")
    before = render_thread(thread, resident)
    assert "First words" in before and "Alice" in before and "comment__edited" not in before
    comment_edit(user=author, comment=comment, body="Second words")
    author.display_name = "Alice M."
    author.save()
    after = render_thread(thread, resident)
    assert "Second words" in after and "First words" not in after
    assert ">Alice M.</span>" in after
    assert '<span class="comment__edited">· edited</span>' in after


def test_dates_follow_the_language_and_the_time_zone(thread, comment_factory, render_thread, resident):
    comment = comment_factory(target=thread)
    comment.created_at = datetime(2026, 5, 4, 22, 30, tzinfo=UTC)
    comment.save(update_fields=["created_at"])
    with timezone.override("Europe/Paris"):
        english = render_thread(thread, resident)
        with translation.override("fr"):
            french = render_thread(thread, resident)
    with timezone.override("UTC"):
        utc = render_thread(thread, resident)
    assert '<time datetime="2026-05-05T00:30:00+02:00">May 5, 2026, 12:30 a.m.</time>' in english
    assert '<time datetime="2026-05-05T00:30:00+02:00">5 mai 2026 00:30</time>' in french
    assert '<time datetime="2026-05-04T22:30:00+00:00">May 4, 2026, 10:30 p.m.</time>' in utc


def test_names_and_moderation_reasons_are_escaped(thread, comment_factory, render_thread, user_factory):
    author = user_factory(display_name='<img src=x onerror="alert(1)">')
    comment_factory(
        target=thread,
        author=author,
        moderation_state=ModerationState.HIDDEN,
        moderation_reason="<script>alert(2)</script>",
    )
    html = render_thread(thread, author)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "Reason: &lt;script&gt;alert(2)&lt;/script&gt;" in html
    root = tree(html)
    assert root.find(lambda node: node.tag == "img") is None
    assert [node.attrs.get("type") for node in root.find_all(lambda node: node.tag == "script")] == [
        "application/json",
        "module",
    ]


def test_the_markup_that_discussions_js_reads(thread, comment_factory, render_thread, resident, user_factory):
    """The selectors of frontend/static/civic/js/discussions.js, and labels for every field."""
    top = comment_factory(target=thread, author=user_factory(), body="Top", support_count=2)
    reply = comment_factory(target=thread, author=resident, parent=top, body="Reply")
    root = tree(render_thread(thread, resident))
    comment_list = root.find(lambda node: "data-comment-list" in node.attrs)
    item = comment_list.child(lambda node: node.tag == "li")
    assert item.attrs["id"] == f"comment-{top.pk}" and item.attrs["data-comment-id"] == str(top.pk)
    card = item.child(lambda node: node.tag == "article")
    assert card.attrs["aria-labelledby"] == f"comment-{top.pk}-author"
    assert card.find(lambda node: node.attrs.get("id") == f"comment-{top.pk}-author").text == top.author.display_name
    assert card.find(lambda node: node.tag == "time" and "datetime" in node.attrs)
    assert card.find(lambda node: "comment__text" in node.classes).text == "Top"
    support = card.find(lambda node: "data-support-form" in node.attrs)
    assert support.find(lambda node: "data-support-count" in node.attrs).text == "2"
    assert support.find(lambda node: node.tag == "button").attrs["aria-pressed"] == "false"
    replies = item.child(lambda node: "data-reply-list" in node.attrs)
    assert replies.tag == "ol" and "hidden" not in replies.attrs
    reply_item = replies.child(lambda node: node.tag == "li")
    assert reply_item.attrs["id"] == f"comment-{reply.pk}"
    assert reply_item.classes == {"comment", "comment--reply", "comment--own"}
    assert reply_item.child(lambda node: "data-reply-list" in node.attrs) is None
    details = item.child(lambda node: node.tag == "details")
    form = details.find(lambda node: "data-comment-form" in node.attrs)
    assert "comment-form--reply" in form.classes
    assert form.find(lambda node: node.attrs.get("name") == "parent").attrs["value"] == str(top.pk)
    assert form.find(lambda node: node.attrs.get("name") == "csrfmiddlewaretoken")
    textarea = form.find(lambda node: node.tag == "textarea")
    assert form.find(lambda node: node.tag == "label").attrs["for"] == textarea.attrs["id"]
    error = form.find(lambda node: "data-form-error" in node.attrs)
    assert textarea.attrs["aria-describedby"] == error.attrs["id"]
