"""The staff side of incident reports in the Wagtail admin (registered by ``signalements/wagtail_hooks.py``).

``viewsets.py`` routes the screens (URL names ``signalements_staff:inbox|indicators|export|report``) and the
report settings; every screen uses the core's staff mixin (``civic.core.backoffice``) through ``base.py``.
"""
