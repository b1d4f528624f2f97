"""The Wagtail admin's user screens, fitted to our user model (email login, display name)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User

_FIELDS = ["email", "display_name", "home_area", "is_active", "is_superuser", "groups"]


class CivicUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label=_("Display name"), max_length=80)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = _FIELDS


class CivicUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label=_("Display name"), max_length=80)

    class Meta(UserEditForm.Meta):
        model = User
        fields = _FIELDS


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return CivicUserEditForm if for_update else CivicUserCreationForm
