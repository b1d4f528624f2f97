from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import User
from .roles import Role
from .services import role_permissions_sync, user_add_role


@receiver(post_save, sender=User, dispatch_uid="civic_accounts_resident_role")
def give_new_users_the_resident_role(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        user_add_role(user=instance, role=Role.RESIDENT)


@receiver(post_migrate, dispatch_uid="civic_accounts_role_permissions")
def keep_role_permissions(sender, app_config=None, using="default", **kwargs):
    # Runs after every app's migrations; the last call sees every permission created.
    role_permissions_sync(using=using)
