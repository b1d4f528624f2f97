import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page


def search(request):
    query = request.GET.get("q", "").strip()
    # Words only: quotes and operators are the search engine's syntax (SQLite FTS5 fails on a lone ").
    words = " ".join(re.findall(r"\w+", query))
    results = Page.objects.live().public().specific().search(words) if words else Page.objects.none()
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return TemplateResponse(request, "cms/search.html", {"query": query, "results": page})
