"""Demo accounts of every role. All share the password below (documented in README.md)."""

from allauth.account.models import EmailAddress

from .models import User
from .roles import Role
from .services import user_add_role

ORDER = 20
DEMO_PASSWORD = "civic-demo-2026"  # noqa: S105 - documented demo password, demo data only

ACCOUNTS = [
    ("admin@demo.civic.test", "Claire Martin (administration)", [Role.ADMINISTRATOR], True, "Centre-ville"),
    ("agent.voirie@demo.civic.test", "Karim Benali (voirie)", [Role.AGENT], False, "La Gare"),
    ("agent.espaces-verts@demo.civic.test", "Sophie Leroy (espaces verts)", [Role.AGENT], False, "Les Vignes"),
    ("moderation@demo.civic.test", "Julien Petit (modération)", [Role.MODERATOR], False, "Le Port"),
    ("camille@demo.civic.test", "Camille D.", [Role.RESIDENT], False, "Les Tilleuls"),
    ("lucas@demo.civic.test", "Lucas R.", [Role.RESIDENT], False, "Bois-Joli"),
    ("nadia@demo.civic.test", "Nadia B.", [Role.RESIDENT], False, "Centre-ville"),
]


def load(context):
    quartiers = context.get("quartiers", {})
    users = {}
    for email, name, roles, superuser, area_name in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, display_name=name, is_superuser=superuser, is_staff=superuser
            )
        user.home_area = quartiers.get(area_name)
        user.save(update_fields=["home_area"])
        for role in roles:
            user_add_role(user=user, role=role)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[email] = user
    context["users"] = users
    context["accounts_summary"] = [
        f"{email:40} {', '.join(str(r) for r in roles)}" for email, _n, roles, _s, _a in ACCOUNTS
    ]
    context["accounts_summary"].append(f"password for every demo account: {DEMO_PASSWORD}")
