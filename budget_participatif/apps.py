from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetParticipatifConfig(AppConfig):
    name = "budget_participatif"
    label = "budget_participatif"
    verbose_name = _("Participatory budget")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.core.images import register_stored_images
        from civic.moderation import registry

        from . import conf, rules, signals  # noqa: F401
        from .models import Idea, IdeaPhoto, Milestone

        signals.connect()
        registry.register(Idea, space_attr="page", text_fields=["title", "description"])
        register_stored_images(IdeaPhoto, "image", limits=conf.photo_limits)
        register_stored_images(Milestone, "photo", limits=conf.photo_limits)
