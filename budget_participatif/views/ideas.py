from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from civic.core.exceptions import ParticipationError, form_add_errors

from ..forms import IdeaForm
from ..models import BudgetPage, Idea, IdeaStatus, Theme
from ..selectors import ideas_for_list
from ..services import idea_create


def _page(page_id) -> BudgetPage:
    return get_object_or_404(BudgetPage.objects.live(), pk=page_id)


class IdeaListView(View):
    def get(self, request, page_id):
        page = _page(page_id)
        theme = request.GET.get("theme", "") if request.GET.get("theme") in Theme.values else ""
        status = request.GET.get("status", "") if request.GET.get("status") in IdeaStatus.values else ""
        ideas = ideas_for_list(page=page, user=request.user, theme=theme, status=status)
        page_obj = Paginator(ideas, 24).get_page(request.GET.get("page"))
        return render(
            request,
            "budget_participatif/idea_list.html",
            {
                "campaign": page,
                "page_obj": page_obj,
                "themes": Theme.choices,
                "statuses": IdeaStatus.choices,
                "theme": theme,
                "status": status,
                "can_propose": request.user.has_perm("budget_participatif.propose_idea", page),
            },
        )


class IdeaCreateView(LoginRequiredMixin, View):
    template_name = "budget_participatif/idea_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = _page(kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, page_id):
        return self._render(IdeaForm())

    def _render(self, form, status=200):
        from civic.cms.models import SiteIdentity

        identity = SiteIdentity.for_request(self.request)
        return render(
            self.request,
            self.template_name,
            {"campaign": self.campaign, "form": form, "map_config": identity.map_config()},
            status=status,
        )

    def post(self, request, page_id):
        form = IdeaForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        location = None
        if data.get("latitude") is not None:
            location = Point(data["longitude"], data["latitude"], srid=4326)
        try:
            idea = idea_create(
                page=self.campaign,
                author=request.user,
                title=data["title"],
                description=data["description"],
                theme=data["theme"],
                area=data.get("area"),
                location=location,
                cost_guess=data.get("cost_guess"),
                photos=[data["photo"]] if data.get("photo") else [],
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
            return self._render(form, status=400)
        except ParticipationError as exc:
            form.add_error(None, exc.message)
            return self._render(form, status=403)
        if idea.is_published:
            messages.success(
                request, _("Thank you! Your idea is published. You will be told what the services make of it.")
            )
        else:
            messages.info(request, _("Thank you! A moderator will read your idea before it is published."))
        return redirect(idea.get_absolute_url())


class IdeaDetailView(View):
    def get(self, request, pk):
        idea = get_object_or_404(Idea.objects.select_related("page", "area", "author", "project"), pk=pk)
        if not request.user.has_perm("budget_participatif.read_idea", idea):
            raise PermissionDenied
        review = getattr(idea, "review", None)
        return render(
            request,
            "budget_participatif/idea_detail.html",
            {"idea": idea, "campaign": idea.page, "review": review, "photos": idea.photos.all()},
        )
