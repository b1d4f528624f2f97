from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person with an account. People log in with their email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("Shown next to what you publish. You may use a pseudonym."),
    )
    home_area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("home area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Your commune or neighbourhood, to show you what happens near you."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.display_name = (self.display_name or "").strip() or self.email.split("@")[0]
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    def has_role(self, role: Role | str) -> bool:
        return self.groups.filter(name=str(role)).exists()

    @property
    def roles(self) -> list[str]:
        return list(self.groups.values_list("name", flat=True))

    @property
    def role_labels(self) -> list[str]:
        """The person's roles, in words for them (translated)."""
        return [Role(name).label for name in self.roles if name in Role.values]


class PersonalDataAction(models.TextChoices):
    EXPORT = "export", _("Data export")
    DELETE = "delete", _("Account deletion")


class PersonalDataRequest(models.Model):
    """The audit of the RGPD rights exercised: who asked for an export or a deletion, and who ran it.

    It names the person by account number only, so that nothing personal outlives a deletion.
    """

    action = models.CharField(_("action"), max_length=10, choices=PersonalDataAction.choices)
    subject_id = models.PositiveBigIntegerField(_("account number"))
    performed_by = models.ForeignKey(
        "civic_accounts.User",
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the person ran it themselves or their account is gone."),
    )
    by_staff = models.BooleanField(_("run by staff on request"), default=False)
    reason = models.CharField(_("request reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-created_at", "-pk"]
        permissions = [("handle_personal_data", _("Export or delete a person's data on request"))]

    def __str__(self):
        return f"{self.get_action_display()} #{self.subject_id}"
