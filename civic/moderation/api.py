from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.core.exceptions import ParticipationError, api_error

from . import registry
from .limits import client_ip
from .models import FlagReason
from .services import flag_create


class FlagCreateSerializer(serializers.Serializer):
    content_type = serializers.IntegerField(help_text="Content type id of the contribution.")
    object_pk = serializers.CharField(max_length=64)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class FlagCreateApi(APIView):
    """Flag a contribution for the moderators (once per person per contribution)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FlagCreateSerializer

    @extend_schema(request=FlagCreateSerializer, responses={201: None})
    def post(self, request):
        serializer = FlagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = registry.get_item(data["content_type"], data["object_pk"])
        if item is None:
            raise exceptions.NotFound()
        try:
            flag_create(user=request.user, item=item, reason=data["reason"], text=data["text"], ip=client_ip(request))
        except ParticipationError as exc:
            raise api_error(exc) from exc
        return Response({"detail": _("Thank you. The moderators will look at it.")}, status=status.HTTP_201_CREATED)
