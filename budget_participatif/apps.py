from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetParticipatifConfig(AppConfig):
    name = "budget_participatif"
    label = "budget_participatif"
    verbose_name = _("Participatory budget")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.moderation import registry

        from . import ballot_cache, rules  # noqa: F401
        from .models import Idea, Project

        ballot_cache.connect()
        registry.register(Idea, space_attr="page", text_fields=["title", "description"])
        # Staff write projects (author_attr=None): residents flag them, moderators review them.
        registry.register(Project, space_attr="budget.page", text_fields=["title", "description"], author_attr=None)
