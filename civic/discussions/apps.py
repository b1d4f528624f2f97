from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "civic.discussions"
    label = "civic_discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from civic.moderation import registry

        from . import signals  # noqa: F401
        from .models import Comment, comment_context, comment_url

        registry.register(
            Comment,
            space_attr="target",
            text_fields=["body"],
            url=comment_url,
            context=comment_context,
            queue_prefetch=["target", "parent"],
        )

        from civic.spaces import registry as spaces

        from . import personal_data

        spaces.register_personal_data(
            "discussions",
            label=_("My comments"),
            order=50,
            template="discussions/_my_space.html",
            section=personal_data.my_space_section,
            export=personal_data.export,
            erase=personal_data.erase,
        )
