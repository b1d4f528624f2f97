"""Keep the cached page chrome (see ``chrome.py``) true when what it shows changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .chrome import invalidate_site_chrome
from .models import FooterLink, SiteIdentity


def _on_change(sender, **kwargs):
    invalidate_site_chrome()


def _on_page_saved_or_deleted(sender, instance, **kwargs):
    # post_save/post_delete fire once per concrete class; pages of every type count.
    if isinstance(instance, Page):
        invalidate_site_chrome()


def connect() -> None:
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_on_change, dispatch_uid=f"civic_cms_chrome_{id(signal)}")
    post_save.connect(_on_page_saved_or_deleted, dispatch_uid="civic_cms_chrome_page_saved")
    post_delete.connect(_on_page_saved_or_deleted, dispatch_uid="civic_cms_chrome_page_deleted")
    for model in (Site, SiteIdentity, FooterLink, PageViewRestriction, get_image_model()):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"civic_cms_chrome_saved_{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"civic_cms_chrome_deleted_{model._meta.label}")
