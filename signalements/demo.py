"""Demo incident reports for Montfleury-sur-Lise: services, categories, the portal page and ~30 reports."""

import io
import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from civic.accounts.models import User
from civic.cms.models import HomePage

from .models import (
    OPEN_STATES,
    Category,
    CategoryQuestion,
    Report,
    ReportAlert,
    ReportPhoto,
    ReportsPortalPage,
    ReportState,
    ReportSupporter,
    ReportUpdate,
    ResponseTemplate,
    Service,
    UpdateKind,
)
from .photos import photo_process
from .services.map_cells import map_cells_sync

ORDER = 50

SERVICES = [
    ("voirie", "Voirie", "voirie@montfleury.example.org", "agent.voirie@demo.civic.test"),
    ("espaces-verts", "Espaces verts", "espaces-verts@montfleury.example.org", "agent.espaces-verts@demo.civic.test"),
    ("proprete", "Propreté", "proprete@montfleury.example.org", "agent.voirie@demo.civic.test"),
    ("eclairage", "Éclairage public", "eclairage@montfleury.example.org", "agent.voirie@demo.civic.test"),
]
CATEGORIES = [
    ("nid-de-poule", "Nid-de-poule", "Chaussée et trottoirs", "🕳️", "voirie", 30),
    ("trottoir-abime", "Trottoir abîmé", "Chaussée et trottoirs", "🚶", "voirie", 30),
    ("signalisation", "Panneau ou marquage", "Chaussée et trottoirs", "🚸", "voirie", 40),
    ("arbre-dangereux", "Arbre ou branche dangereux", "Parcs et plantations", "🌳", "espaces-verts", 40),
    ("aire-de-jeux", "Aire de jeux endommagée", "Parcs et plantations", "🛝", "espaces-verts", 50),
    ("depot-sauvage", "Dépôt sauvage", "Propreté", "🗑️", "proprete", 40),
    ("tag", "Tag ou graffiti", "Propreté", "🎨", "proprete", 30),
    ("lampadaire", "Lampadaire éteint", "Éclairage", "💡", "eclairage", 40),
]
DESCRIPTIONS = {
    "nid-de-poule": [
        "Trou profond au milieu de la chaussée, les voitures font un écart.",
        "Nid-de-poule devant l'arrêt de bus, dangereux pour les vélos.",
    ],
    "trottoir-abime": [
        "Dalles soulevées par les racines, on trébuche facilement.",
        "Bordure cassée au passage piéton.",
    ],
    "signalisation": [
        "Le panneau stop est couché dans le fossé.",
        "Marquage du passage piéton presque effacé devant l'école.",
    ],
    "arbre-dangereux": ["Grosse branche cassée qui pend au-dessus du trottoir.", "Arbre penché après la tempête."],
    "aire-de-jeux": ["Le toboggan a une planche fendue.", "La balançoire a une chaîne cassée."],
    "depot-sauvage": ["Matelas et cartons déposés au pied des conteneurs.", "Gravats abandonnés au bord du chemin."],
    "tag": ["Grand tag sur le mur de la médiathèque.", "Graffiti sur l'abribus."],
    "lampadaire": [
        "Le lampadaire est éteint depuis une semaine, la rue est très sombre.",
        "Lampadaire qui clignote toute la nuit.",
    ],
}
STATES = [
    ReportState.NEW,
    ReportState.NEW,
    ReportState.NEW,
    ReportState.NEW,
    ReportState.ACKNOWLEDGED,
    ReportState.ACKNOWLEDGED,
    ReportState.ACKNOWLEDGED,
    ReportState.INVESTIGATING,
    ReportState.PLANNED,
    ReportState.PLANNED,
    ReportState.IN_PROGRESS,
    ReportState.IN_PROGRESS,
    ReportState.FIXED,
    ReportState.FIXED,
    ReportState.FIXED,
    ReportState.FIXED,
    ReportState.DUPLICATE,
    ReportState.NOT_RESPONSIBLE,
    ReportState.NO_FURTHER_ACTION,
    ReportState.CLOSED,
]
STAFF_TEXT = {
    ReportState.ACKNOWLEDGED: "Merci, votre signalement est pris en compte par le service.",
    ReportState.INVESTIGATING: "Un agent passera vérifier sur place cette semaine.",
    ReportState.PLANNED: "L'intervention est programmée.",
    ReportState.IN_PROGRESS: "L'équipe est sur place.",
    ReportState.FIXED: "C'est réparé. Merci pour votre signalement !",
    ReportState.NOT_RESPONSIBLE: "Cette voie relève du Département : nous lui avons transmis.",
    ReportState.NO_FURTHER_ACTION: "Après vérification, aucune intervention n'est nécessaire.",
    ReportState.CLOSED: "Signalement clos.",
}


def _photo(seed: int, icon_color) -> SimpleUploadedFile:
    """A simple drawn picture: sky, road and a dark shape, different for each report."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 720), (150 + rng.randint(0, 60), 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 360, 960, 720), fill=(95 + rng.randint(0, 30),) * 3)
    draw.rectangle((0, 520, 960, 540), fill=(235, 235, 235))
    x, y = rng.randint(200, 700), rng.randint(420, 640)
    draw.ellipse((x - 120, y - 50, x + 120, y + 50), fill=icon_color)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"photo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _point_in(area, rng) -> Point:
    west, south, east, north = area.geometry.extent
    for _attempt in range(200):
        point = Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326)
        if area.geometry.contains(point):
            return point
    return area.geometry.point_on_surface


def load(context):
    users = context.get("users") or {user.email: user for user in User.objects.all()}
    quartiers = context.get("quartiers") or {}
    services = {}
    for code, name, email, agent_email in SERVICES:
        service, _created = Service.objects.update_or_create(code=code, defaults={"name": name, "email": email})
        if agent_email in users:
            service.agents.add(users[agent_email])
        services[code] = service
    categories = {}
    for order, (code, name, group, icon, service_code, radius) in enumerate(CATEGORIES):
        categories[code], _created = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "icon": icon,
                "service": services[service_code],
                "nearby_radius": radius,
                "order": order,
            },
        )
    CategoryQuestion.objects.update_or_create(
        category=categories["nid-de-poule"],
        code="taille",
        defaults={
            "label": "Taille du trou",
            "datatype": "singlevaluelist",
            "required": True,
            "choices": "petit|Plus petit qu'une assiette\nmoyen|Comme une roue de vélo\ngrand|Plus grand qu'une roue de voiture",
        },
    )
    CategoryQuestion.objects.update_or_create(
        category=categories["nid-de-poule"],
        code="profondeur",
        defaults={"label": "Profondeur estimée (cm)", "datatype": "number", "required": False, "order": 1},
    )
    for title, text, state, service_codes, category_codes in [
        (
            "Accusé de réception",
            "Merci pour votre signalement n° {number} ({category}) : le service l'a bien reçu et va l'examiner.",
            "acknowledged",
            [],
            [],
        ),
        (
            "Intervention programmée",
            "L'intervention est programmée pour le {expected_date} ; nous vous tiendrons informé.",
            "planned",
            [],
            [],
        ),
        ("Réparé", "Le problème est réglé. Merci de votre vigilance !", "fixed", [], []),
        (
            "Rebouchage à froid",
            "Le nid-de-poule a été rebouché avec de l'enrobé à froid ; une réfection durable suivra.",
            "fixed",
            ["voirie"],
            ["nid-de-poule"],
        ),
        (
            "Enlèvement du dépôt",
            "L'équipe de la propreté passera enlever le dépôt sous 48 heures.",
            "in_progress",
            ["proprete"],
            ["depot-sauvage"],
        ),
        (
            "Hors compétence : route départementale",
            "Cette voie relève du département : nous lui avons transmis votre signalement n° {number}.",
            "not_responsible",
            ["voirie"],
            [],
        ),
    ]:
        template, _created = ResponseTemplate.objects.update_or_create(
            title=title, defaults={"text": text, "state": state}
        )
        template.services.set([services[code] for code in service_codes])
        template.categories.set([categories[code] for code in category_codes])

    home = HomePage.objects.first()
    portal = ReportsPortalPage.objects.first()
    if portal is None and home is not None:
        portal = home.add_child(
            instance=ReportsPortalPage(
                title="Signalements",
                slug="signalements",
                show_in_menus=True,
                intro="Un nid-de-poule, un lampadaire éteint, un dépôt sauvage ? Signalez-le en une minute : le bon service le reçoit et vous tient informé.",
            )
        )
    if portal is not None and not portal.teaser:
        from civic.territory.models import Area

        portal.teaser = "Un problème dans la rue ? Signalez-le en une minute depuis votre téléphone, suivez-le jusqu’à sa réparation."
        portal.areas.set(Area.objects.filter(parent=None)[:1])
        portal.save_revision().publish()
    if Report.objects.filter(idempotency_key__startswith="demo-").exists() or not quartiers:
        return
    residents = [
        users[email]
        for email in ("camille@demo.civic.test", "lucas@demo.civic.test", "nadia@demo.civic.test")
        if email in users
    ]
    agent = users.get("agent.voirie@demo.civic.test")
    rng = random.Random(2026)
    now = timezone.now()
    areas = list(quartiers.values())
    codes = list(categories)
    reports = []
    for index in range(30):
        code = codes[index % len(codes)]
        category = categories[code]
        state = (
            STATES[index % len(STATES)] if index < len(STATES) else ReportState.NEW if index % 3 else ReportState.FIXED
        )
        area = areas[index % len(areas)]
        created = now - timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 23))
        reporter = residents[index % len(residents)] if residents and index % 4 else None
        report = Report.objects.create(
            portal=portal,
            category=category,
            service=category.service,
            area=area,
            location=_point_in(area, rng),
            description=DESCRIPTIONS[code][index % 2],
            reporter=reporter,
            reporter_name="" if reporter else "Habitant de passage",
            reporter_email="" if reporter else f"passant{index}@example.org",
            hide_name=index % 5 == 0,
            state=ReportState.NEW,
            confirmed_at=created,
            idempotency_key=f"demo-{index}",
            extra_answers={"taille": rng.choice(["petit", "moyen", "grand"])} if code == "nid-de-poule" else {},
        )
        Report.objects.filter(pk=report.pk).update(created_at=created)
        ReportUpdate.objects.create(report=report, author=reporter, kind=UpdateKind.CREATED, new_state=ReportState.NEW)
        if index % 3 != 2:
            processed = photo_process(_photo(index, (40, 40, 40) if code == "nid-de-poule" else (60, 120, 60)))
            photo = ReportPhoto(
                report=report, original_name=processed.name, width=processed.width, height=processed.height
            )
            photo.image.save(f"demo-{report.pk}.jpg", processed.image, save=False)
            photo.thumbnail.save(f"demo-{report.pk}-thumb.jpg", processed.thumbnail, save=False)
            photo.save()
        reports.append((report, state, created))
    for report, state, created in reports:
        steps = (
            [] if state == ReportState.NEW else [ReportState.ACKNOWLEDGED] if state != ReportState.ACKNOWLEDGED else []
        )
        steps.append(state) if state != ReportState.NEW else None
        moment = created
        previous = ReportState.NEW
        fields = {}
        for step in dict.fromkeys(steps):
            moment += timedelta(days=rng.randint(1, 4))
            text = STAFF_TEXT.get(step, "")
            if step == ReportState.DUPLICATE:
                original = next(
                    r
                    for r, s, _c in reports
                    if r.category_id == report.category_id and r.pk != report.pk and s != ReportState.DUPLICATE
                )
                fields["duplicate_of"] = original
                text = f"Ce problème est déjà signalé (n° {original.pk}) : suivez-le là-bas."
            if step == ReportState.PLANNED:
                fields["expected_fix_date"] = (now + timedelta(days=rng.randint(5, 30))).date()
                text += f" Date prévue : {fields['expected_fix_date']:%d/%m/%Y}."
            if step == ReportState.NOT_RESPONSIBLE:
                fields["responsible_body"] = (
                    "Conseil départemental, service des routes (routes@departement.example.org)"
                )
            update = ReportUpdate.objects.create(
                report=report,
                author=agent,
                by_staff=True,
                kind=UpdateKind.STATE if step != ReportState.DUPLICATE else UpdateKind.DUPLICATE,
                text=text,
                previous_state=previous,
                new_state=step,
            )
            ReportUpdate.objects.filter(pk=update.pk).update(created_at=moment)
            if previous == ReportState.NEW:
                fields["acknowledged_at"] = moment
            previous = step
        if state in (
            ReportState.FIXED,
            ReportState.DUPLICATE,
            ReportState.NOT_RESPONSIBLE,
            ReportState.NO_FURTHER_ACTION,
            ReportState.CLOSED,
        ):
            fields["closed_at"] = moment
        Report.objects.filter(pk=report.pk).update(state=state, **fields)
        for supporter in residents[: rng.randint(0, len(residents))]:
            if supporter.pk != report.reporter_id:
                ReportSupporter.objects.get_or_create(report=report, user=supporter)
        Report.objects.filter(pk=report.pk).update(
            supporter_count=ReportSupporter.objects.filter(report=report).count()
        )
    # The dates and states above were set with update(), which sends no signal: count them on the map now.
    map_cells_sync(report_ids=[report.pk for report, _state, _created in reports])
    first = reports[0][0]
    ReportUpdate.objects.create(
        report=first, author=residents[0] if residents else None, text="Toujours là ce matin, et il s'agrandit."
    )
    if agent is not None:
        ReportUpdate.objects.create(
            report=first,
            author=agent,
            by_staff=True,
            internal=True,
            kind=UpdateKind.NOTE,
            text="À traiter avec l'enrobé à froid de la tournée de jeudi.",
        )
    _comments_load(reports=[report for report, state, _created in reports if state in OPEN_STATES], residents=residents)
    _alerts_load(users=users, areas=areas, categories=categories, now=now)


# (author index in the residents, text, reply to the comment at that index or None, supporters' indexes)
DEMO_COMMENTS = [
    (1, "Même constat ce matin à vélo : il faut faire un écart, c'est dangereux avec les voitures.", None, (0, 2)),
    (2, "Et la nuit on ne le voit pas du tout. Un cône en attendant l'intervention ?", 0, (1,)),
    (0, "Merci pour le suivi. Une idée de la date des travaux ? Voir aussi https://www.service-public.fr", None, ()),
]


def _comments_load(*, reports, residents) -> None:
    """A discussion under the first open reports: comments, a reply, supports, and one comment held
    for a moderator (a phone number), as residents would write them."""
    from civic.discussions.models import Comment, Support
    from civic.moderation.models import HoldReason, ModerationState

    if len(residents) < 3 or not reports:
        return
    content_type = ContentType.objects.get_for_model(Report)
    for report in reports[:3]:
        created = []
        for author, text, parent, supporters in DEMO_COMMENTS:
            comment = Comment.objects.create(
                content_type=content_type,
                object_pk=str(report.pk),
                author=residents[author],
                body=text,
                parent=created[parent] if parent is not None else None,
                support_count=len(supporters),
            )
            Support.objects.bulk_create(Support(comment=comment, user=residents[i]) for i in supporters)
            # Written over the last days, oldest first.
            when = timezone.now() - timedelta(days=len(DEMO_COMMENTS) - len(created), hours=3 * len(created) + 2)
            Comment.objects.filter(pk=comment.pk).update(created_at=when, updated_at=when)
            created.append(comment)
    Comment.objects.create(
        content_type=content_type,
        object_pk=str(reports[0].pk),
        author=residents[1],
        body="Je peux prêter des barrières, appelez-moi au 06 12 34 56 78.",
        moderation_state=ModerationState.PENDING,
        held_for=HoldReason.PERSONAL_DATA,
        review_requested_at=timezone.now(),
    )


def _alerts_load(*, users, areas, categories, now) -> None:
    """A few email alerts: a resident's on their neighbourhood, a visitor's around a point (potholes
    and street lights only), and one still waiting for its confirmation."""
    if not areas:
        return
    camille = users.get("camille@demo.civic.test")
    if camille is not None:
        ReportAlert.objects.get_or_create(
            email=camille.email, area=areas[0], defaults={"user": camille, "language": "fr", "confirmed_at": now}
        )
    centre = areas[-1].geometry.point_on_surface
    alert, created = ReportAlert.objects.get_or_create(
        email="riverain@example.org",
        area=None,
        radius=800,
        defaults={"location": centre, "language": "fr", "confirmed_at": now},
    )
    if created:
        alert.categories.set([categories["nid-de-poule"], categories["lampadaire"]])
    ReportAlert.objects.get_or_create(
        email="curieux@example.org", area=areas[len(areas) // 2], defaults={"language": "fr"}
    )
