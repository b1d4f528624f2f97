"""Writes on accounts: roles and their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import STAFF_ROLES, Role

# Model permissions each role holds, as "app_label.codename". Administrators hold them all.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.RESIDENT: (),
    Role.AGENT: (
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
    Role.MODERATOR: ("wagtailadmin.access_admin", "civic_moderation.change_moderationsettings"),
}
# Page permissions on the whole tree (granted on the root page).
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.AGENT: ("add_page", "change_page", "publish_page"),
    Role.ADMINISTRATOR: ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"),
}
COLLECTION_PERMISSIONS = {
    Role.AGENT: (
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
}


def _permissions(names, using):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        permission = (
            Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
        )
        if permission is not None:
            found.append(permission)
    return found


@transaction.atomic
def role_permissions_sync(*, using: str = "default") -> None:
    """Grant each role group the permissions it needs; idempotent, run after every migrate."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups = {group.name: group for group in Group.objects.using(using).filter(name__in=Role.values)}
    if len(groups) < len(Role.values):
        return  # the roles migration has not run on this database yet
    for role, names in ROLE_PERMISSIONS.items():
        groups[role].permissions.add(*_permissions(names, using))
    groups[Role.ADMINISTRATOR].permissions.set(Permission.objects.using(using).all())

    root_page = Page.objects.using(using).filter(depth=1).first()
    if root_page is not None:
        for role, codenames in ROLE_PAGE_PERMISSIONS.items():
            for permission in Permission.objects.using(using).filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                GroupPagePermission.objects.using(using).get_or_create(
                    group=groups[role], page=root_page, permission=permission
                )
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    if root_collection is not None:
        for role in (Role.AGENT, Role.ADMINISTRATOR):
            names = COLLECTION_PERMISSIONS[Role.AGENT]
            for permission in _permissions(names, using):
                GroupCollectionPermission.objects.using(using).get_or_create(
                    group=groups[role], collection=root_collection, permission=permission
                )


def user_add_role(*, user: User, role: Role | str) -> None:
    group, _created = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    if str(role) in {str(r) for r in STAFF_ROLES} and not user.is_staff:
        # is_staff only marks people who work for the council; the admin checks permissions.
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True


def user_create(*, email: str, password: str | None, display_name: str, roles=(), **extra) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, display_name=display_name, **extra)
        for role in roles:
            user_add_role(user=user, role=role)
    return user
