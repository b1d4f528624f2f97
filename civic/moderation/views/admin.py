"""The moderation screens of the Wagtail admin, under /admin/moderation/."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.core.exports import spreadsheet_cell as _cell

from .. import conf, registry
from ..exceptions import Conflict, ParticipationError
from ..forms import BlockForm, BulkDecisionForm, DecisionForm, DecisionLogFilterForm, ModeratorEditForm, QueueFilterForm
from ..models import DecisionAction, ModerationDecision, ModerationState
from ..selectors import (
    QueueView,
    active_block_for,
    active_blocks,
    author_contribution_counts,
    decisions_filtered,
    item_flag_history,
    item_history,
    moderation_queue,
    queue_item,
    queue_spaces,
)
from ..services import (
    contribution_edit_by_moderator,
    moderation_claim,
    moderation_decide,
    moderation_release,
    user_block,
    user_unblock,
)

QUEUE_PAGE_SIZE = 30
LOG_PAGE_SIZE = 50
HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
QUEUE = {"url": reverse_lazy("civic_moderation:queue"), "label": gettext_lazy("Moderation")}


class PermissionRequiredMixin:
    permission = "civic_moderation.view_queue"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class ModerationQueueView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything that waits for a moderator, across all contribution types, oldest first."""

    template_name = "moderation/admin/queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        view = params.get("view") if params.get("view") in dict(QueueView.choices) else QueueView.REVIEW
        filters = QueueFilterForm(params or None)
        items = moderation_queue(
            view=view, type_key=filters.value("type"), reason=filters.value("reason"), age=filters.value("age")
        )
        spaces = queue_spaces(items)
        filters = QueueFilterForm(params or None, spaces=spaces)
        filters.is_valid()
        if space := params.get("space", ""):
            items = [item for item in items if item.space_key == space]
        page = Paginator(items, QUEUE_PAGE_SIZE).get_page(params.get("page"))
        query = params.copy()
        query.pop("page", None)
        context.update(
            filters=filters,
            page_obj=page,
            items=page.object_list,
            view=view,
            view_choices=QueueView.choices,
            total=len(items),
            query_string=query.urlencode(),
            bulk_form=BulkDecisionForm(),
            now=timezone.now(),
            current_url=self.request.get_full_path(),
            js_config={
                "socketPath": "/ws/moderation/queue/",
                "userId": self.request.user.pk,
                "labels": {
                    "reviewing": _("%(name)s since %(since)s"),
                    "decided": _("%(action)s by %(name)s"),
                    "queued": _("New item waiting: %(label)s"),
                    "flagged": _("New flag: %(label)s"),
                    "released": _("An item was released."),
                },
            },
        )
        return context


class ModerationBulkView(PermissionRequiredMixin, View):
    """Apply one decision to the items ticked in the queue; each one still compare-and-sets its state."""

    def post(self, request):
        back = _safe_next(request, reverse("civic_moderation:queue"))
        form = BulkDecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        done, refused = 0, []
        for content_type_id, pk, state, version in form.cleaned_data["items"]:
            item = registry.get_item(content_type_id, pk)
            if item is None:
                refused.append(_("Item %(pk)s no longer exists.") % {"pk": pk})
                continue
            try:
                moderation_decide(
                    moderator=request.user,
                    item=item,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                    expected_state=state,
                    expected_version=version,
                )
            except ParticipationError as exc:
                refused.append(f"{registry.label_of(item, 50)} — {exc.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                _("%(action)s: %(count)d item(s).")
                % {"action": DecisionAction(form.cleaned_data["action"]).label, "count": done},
            )
        for reason in refused:
            messages.warning(request, reason)
        return redirect(back)


class ModerationItemView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """One contribution: its text in context, flags, history, and the decision and edit forms.

    Opening it claims it for a few minutes, so that other moderators see who is reviewing it.
    """

    template_name = "moderation/admin/item.html"
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.entry_item = queue_item(kwargs["content_type_id"], kwargs["object_pk"])
        if self.entry_item is None:
            raise Http404

    @property
    def item(self):
        return self.entry_item.item

    def get_page_title(self):
        return _("%(type)s #%(pk)s") % {"type": self.entry_item.entry.label, "pk": self.item.pk}

    def get_breadcrumbs_items(self):
        return [HOME, QUEUE, {"url": "", "label": self.get_page_title()}]

    def may_moderate(self) -> bool:
        return self.request.user.has_perm("civic_moderation.moderate_contribution", self.item) and (
            registry.author_id_of(self.item) != self.request.user.pk
        )

    def get(self, request, *args, **kwargs):
        self.claim_error = None
        if self.may_moderate():
            try:
                moderation_claim(moderator=request.user, item=self.item)
            except Conflict as exc:
                self.claim_error = exc.message
            self.entry_item = queue_item(kwargs["content_type_id"], kwargs["object_pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.claim_error = None
        step = request.POST.get("step")
        back = _safe_next(request, reverse("civic_moderation:queue"))
        if step == "release":
            moderation_release(moderator=request.user, item=self.item)
            messages.info(request, _("You released this item; other moderators may take it."))
            return redirect(back)
        if step == "edit":
            form = ModeratorEditForm(request.POST, item=self.item)
            if form.is_valid():
                try:
                    contribution_edit_by_moderator(
                        moderator=request.user,
                        item=self.item,
                        changes=form.changes(),
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["expected_version"],
                        publish=form.cleaned_data["publish"],
                    )
                except ParticipationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The contribution was edited; the original is kept."))
                    return HttpResponseRedirect(request.path + "?" + urlencode({"next": back}))
            return self.render_to_response(self.get_context_data(edit_form=form))
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                moderation_decide(
                    moderator=request.user,
                    item=self.item,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                    expected_state=form.cleaned_data["expected_state"],
                    expected_version=form.cleaned_data["expected_version"],
                    notify_author=form.cleaned_data["notify_author"],
                )
            except ParticipationError as exc:
                form.add_error(None, exc.message)
                messages.error(request, exc.message)
                return self.render_to_response(self.get_context_data(decision_form=form), status=409)
            messages.success(
                request,
                _("%(action)s: %(item)s")
                % {
                    "action": DecisionAction(form.cleaned_data["action"]).label,
                    "item": registry.label_of(self.item, 60),
                },
            )
            return redirect(back)
        return self.render_to_response(self.get_context_data(decision_form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.item
        initial = {
            "expected_state": item.moderation_state,
            "expected_version": item.moderation_version,
            "notify_author": True,
        }
        author = registry.author_of(item)
        claim = self.entry_item.claim
        context.update(
            entry_item=self.entry_item,
            item=item,
            author=author,
            author_block=active_block_for(author) if author is not None else None,
            may_moderate=self.may_moderate(),
            own_item=author is not None and author.pk == self.request.user.pk,
            claim=claim,
            claimed_by_other=claim is not None and claim.moderator_id != self.request.user.pk,
            claim_error=getattr(self, "claim_error", None),
            decision_form=kwargs.get("decision_form") or DecisionForm(initial=initial),
            edit_form=kwargs.get("edit_form") or ModeratorEditForm(item=item),
            original_text=[
                (str(type(item)._meta.get_field(name).verbose_name).capitalize(), value)
                for name, value in (item.original_text or {}).items()
            ]
            if self.request.user.has_perm("civic_moderation.view_original_text", item)
            else [],
            history=item_history(item)[:50],
            flag_history=item_flag_history(item)[:100],
            states=ModerationState,
            next_url=_safe_next(self.request, reverse("civic_moderation:queue")),
            claim_minutes=conf.get("CIVIC_MODERATION_CLAIM_MINUTES"),
        )
        return context


class UserBlockListView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "moderation/admin/blocks.html"
    page_title = gettext_lazy("Blocked people")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return [HOME, QUEUE, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = Paginator(active_blocks(), QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class PersonModerationView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """A person seen by moderators: their block, contributions by state, and the block/unblock forms."""

    template_name = "moderation/admin/person.html"
    header_icon = "user"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.person = get_object_or_404(get_user_model(), pk=kwargs["user_id"])

    def get_page_title(self):
        return str(self.person)

    def get_breadcrumbs_items(self):
        return [
            HOME,
            QUEUE,
            {"url": reverse("civic_moderation:blocks"), "label": _("Blocked people")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step")
        back = _safe_next(request, request.path)
        try:
            if step == "unblock":
                user_unblock(
                    moderator=request.user,
                    user=self.person,
                    reason=request.POST.get("reason", ""),
                    restore_content=bool(request.POST.get("restore_content")),
                )
                messages.success(request, _("%(name)s may contribute again.") % {"name": self.person})
                return redirect(back)
            form = BlockForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(block_form=form))
            user_block(
                moderator=request.user,
                user=self.person,
                reason=form.cleaned_data["reason"],
                hide_content=form.cleaned_data["hide_content"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except ParticipationError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("%(name)s is blocked.") % {"name": self.person})
        return redirect(back)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = author_contribution_counts(self.person)
        context.update(
            person=self.person,
            # Not ``block``: inside ``{% block %}`` that name is Django's block node.
            active_block=active_block_for(self.person),
            may_block=self.request.user.has_perm("civic_moderation.block_user", self.person),
            block_form=kwargs.get("block_form") or BlockForm(),
            counts=[(ModerationState(state).label, count) for state, count in sorted(counts.items())],
            decisions=ModerationDecision.objects.filter(subject=self.person).select_related("content_type")[:30],
            next_url=_safe_next(self.request, self.request.path),
        )
        return context


class DecisionLogView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The audit log, for administrators."""

    permission = "civic_moderation.view_decisions"
    template_name = "moderation/admin/decisions.html"
    page_title = gettext_lazy("Moderation log")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return [HOME, QUEUE, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DecisionLogFilterForm(self.request.GET or None)
        decisions = decisions_filtered(**form.filters()) if self.request.GET else decisions_filtered()
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filters=form,
            page_obj=Paginator(decisions, LOG_PAGE_SIZE).get_page(self.request.GET.get("page")),
            query_string=query.urlencode(),
            may_export=self.request.user.has_perm("civic_moderation.export_decisions"),
        )
        return context


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    gettext_lazy("Date"),
    gettext_lazy("Moderator"),
    gettext_lazy("Action"),
    gettext_lazy("Type"),
    gettext_lazy("Item id"),
    gettext_lazy("Item"),
    gettext_lazy("Person concerned (id)"),
    gettext_lazy("Previous state"),
    gettext_lazy("New state"),
    gettext_lazy("Reason"),
]


class DecisionExportView(PermissionRequiredMixin, View):
    """The audit log (with the log page's filters) as CSV, UTF-8 with a BOM for spreadsheets."""

    permission = "civic_moderation.export_decisions"

    def get(self, request):
        form = DecisionLogFilterForm(request.GET or None)
        decisions = decisions_filtered(**form.filters()) if request.GET else decisions_filtered()
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"
            yield writer.writerow([str(column) for column in CSV_COLUMNS])
            for decision in decisions.iterator(chunk_size=500):
                yield writer.writerow(
                    [
                        _cell(timezone.localtime(decision.created_at).isoformat(timespec="seconds")),
                        _cell(decision.moderator_name),
                        _cell(decision.action),
                        _cell(decision.content_type.model if decision.content_type else ""),
                        _cell(decision.object_pk),
                        _cell(decision.item_label),
                        _cell(decision.subject_id or ""),
                        _cell(decision.previous_state),
                        _cell(decision.new_state),
                        _cell(decision.reason),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="moderation-log-{stamp}.csv"'
        return response
