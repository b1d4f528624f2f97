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
        from civic.spaces import registry as spaces

        from . import conf, rules, signals  # noqa: F401
        from .models import BudgetPage, Idea, IdeaPhoto, MilestonePhoto, Project

        spaces.register(BudgetPage, label=_("Participatory budgets"), order=20)
        from . import personal_data

        spaces.register_personal_data(
            "budget_ideas",
            label=_("My ideas and projects"),
            order=20,
            template="budget_participatif/_my_space_ideas.html",
            section=personal_data.ideas_section,
            export=personal_data.export,
            erase=personal_data.erase,
        )
        spaces.register_personal_data(
            "budget_ballots",
            label=_("My ballots"),
            order=30,
            template="budget_participatif/_my_space_ballots.html",
            section=personal_data.ballots_section,
        )

        signals.connect()
        registry.register(Idea, space_attr="page", text_fields=["title", "description"])
        # Staff write projects (author_attr=None): residents flag them, moderators review them.
        registry.register(Project, space_attr="budget.page", text_fields=["title", "description"], author_attr=None)
        register_stored_images(IdeaPhoto, "image", limits=conf.photo_limits)
        register_stored_images(
            MilestonePhoto, "image", limits=conf.milestone_photo_limits, size_fields=("width", "height")
        )
        register_stored_images(MilestonePhoto, "thumbnail", limits=conf.milestone_thumbnail_limits)
