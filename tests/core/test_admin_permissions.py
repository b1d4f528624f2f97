"""Permission names and the Wagtail admin: no django-rules permission shares its name with a
Django model permission (Wagtail's viewsets ask those for menus and lists, without an object,
so a rule meant for residents' pages would open an admin list), and each role reaches exactly
the admin lists it should."""

import pytest
import rules
from django.apps import apps
from django.contrib.auth.models import Permission
from rules.permissions import permissions as registered_rules
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.chooser import ChooserViewSet

from civic.accounts.roles import Role

pytestmark = pytest.mark.django_db


def model_permission_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        meta = model._meta
        names.update(f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions)
        names.update(f"{meta.app_label}.{codename}" for codename, _label in meta.permissions)
    return names


def test_no_rules_permission_is_named_like_a_model_permission():
    """A rule named ``<app>.view_<model>`` (or add_, change_, delete_) answers Wagtail's model
    checks too: ``always_allow`` on view_project showed every project to moderators."""
    assert sorted(registered_rules), "no rules registered: autodiscovery did not run"
    collisions = sorted(set(registered_rules) & model_permission_names())
    assert collisions == [], f"rename these rules with a verb of their own (read_, propose_, post_...): {collisions}"


def test_no_rules_permission_is_a_permission_granted_to_a_role_group():
    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(group__name__in=Role.values).values_list(
            "content_type__app_label", "codename"
        )
    }
    assert granted, "the role groups hold no permission: the roles were not synchronised"
    assert sorted(set(registered_rules) & granted) == []


def test_the_model_lists_of_the_admin_are_not_opened_by_a_rule(user_factory):
    """Without an object (as Wagtail asks), no rule grants a model permission to anyone."""
    users = [user_factory(roles=[role]) for role in Role.values]
    for name in sorted(model_permission_names()):
        if rules.perm_exists(name):
            assert not any(rules.has_perm(name, user) for user in users), name


# The admin lists each role opens; every other list answers a redirect or 403. Lists a new
# viewset adds are for administrators until someone decides otherwise here.
ADMIN_HOME = "/admin/"
FIXED_LISTS = [
    "/admin/pages/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/moderation/",
    "/admin/moderation/blocks/",
    "/admin/signalements/",
    "/admin/signalements/indicateurs/",
    "/admin/budget-participatif/desk/",
    "/admin/users/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/reports/site-history/",
]
# Wagtail's site history shows each person only the log entries of what they may see.
HISTORY = "/admin/reports/site-history/"
OPENS = {
    Role.RESIDENT: set(),
    Role.MODERATOR: {ADMIN_HOME, HISTORY, "/admin/moderation/", "/admin/moderation/blocks/"},
    Role.AGENT: {
        ADMIN_HOME,
        HISTORY,
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/signalements/",
        "/admin/signalements/indicateurs/",
        "/admin/budget-participatif/desk/",
        "/admin/budget-participatif/review/",
        "/admin/budget-participatif/ballots/",
        "/admin/budget-participatif/follow-up/",  # agents add milestones to funded projects
    },
}


def admin_lists() -> list[str]:
    viewsets.populate()
    urls = set(FIXED_LISTS)
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ChooserViewSet):  # opened from forms, by what the form allows
            continue
        url = getattr(viewset, "menu_url", None)
        if url:
            urls.add(str(url))
    return sorted(urls)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.AGENT, Role.MODERATOR, Role.ADMINISTRATOR])
def test_each_role_reaches_exactly_its_admin_lists(client, user_factory, role):
    client.force_login(user_factory(roles=[role]))
    urls = [ADMIN_HOME, *admin_lists()]
    assert "/admin/budget-participatif/projects/" in urls and "/admin/budget-participatif/ideas/" in urls
    answers = {url: client.get(url).status_code for url in urls}
    opened = {url for url, status in answers.items() if status == 200}
    if role == Role.ADMINISTRATOR:
        assert opened == set(urls), {url: status for url, status in answers.items() if status != 200}
    else:
        assert opened == OPENS[role], (sorted(opened - OPENS[role]), sorted(OPENS[role] - opened))
        assert all(status in (302, 403) for url, status in answers.items() if url not in opened), answers
