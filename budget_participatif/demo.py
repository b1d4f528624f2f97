"""Demo: the 2027 participatory budget of Montfleury-sur-Lise, open for voting, and the 2025 one, built."""

from datetime import date, timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from .models import (
    Ballot,
    BallotChannel,
    BallotChoice,
    BallotType,
    Budget,
    BudgetPage,
    Idea,
    IdeaReview,
    IdeaStatus,
    ImplementationStatus,
    Milestone,
    Project,
    VoteScope,
)

ORDER = 60

# (title, description, theme, quartier, cost estimate or None, verdict, budget key)
IDEAS_2027 = [
    (
        "Des arbres rue de la Lise",
        "Planter une vingtaine d'arbres le long de la rue de la Lise pour avoir de l'ombre l'été.",
        "nature",
        "Centre-ville",
        45_000,
        "feasible",
        "city",
    ),
    (
        "Piste cyclable vers le lycée",
        "Une piste cyclable protégée entre la gare et le lycée Jean-Moulin.",
        "mobility",
        "La Gare",
        120_000,
        "feasible",
        "city",
    ),
    (
        "Aire de jeux inclusive",
        "Une aire de jeux accessible aux enfants en fauteuil au parc des Tilleuls.",
        "youth",
        "Les Tilleuls",
        60_000,
        "feasible",
        "tilleuls",
    ),
    (
        "Boîtes à livres",
        "Installer des boîtes à livres dans chaque quartier.",
        "culture",
        "Centre-ville",
        6_000,
        "feasible",
        "city",
    ),
    (
        "Jardin partagé des Vignes",
        "Transformer la friche derrière l'école en jardin partagé avec un composteur.",
        "nature",
        "Les Vignes",
        25_000,
        "feasible",
        "city",
    ),
    (
        "Bancs au bord du port",
        "Des bancs et de l'ombre sur le quai, pour les promeneurs et les aînés.",
        "public_space",
        "Le Port",
        18_000,
        "feasible",
        "city",
    ),
    (
        "Terrain de basket rénové",
        "Refaire le sol et les paniers du terrain de Bois-Joli.",
        "sport",
        "Bois-Joli",
        35_000,
        "feasible",
        "city",
    ),
    (
        "Fontaine à eau potable",
        "Une fontaine à eau place de la Mairie pour l'été.",
        "public_space",
        "Centre-ville",
        9_000,
        "feasible",
        "city",
    ),
    (
        "Éclairage du chemin des écoliers",
        "Éclairer le chemin piéton entre les Tilleuls et l'école, sombre en hiver.",
        "public_space",
        "Les Tilleuls",
        40_000,
        "feasible",
        "tilleuls",
    ),
    (
        "Nichoirs et hôtels à insectes",
        "Des nichoirs et des hôtels à insectes dans les parcs.",
        "nature",
        "Les Tilleuls",
        4_000,
        "feasible",
        "tilleuls",
    ),
    (
        "Parc à vélos sécurisé à la gare",
        "Un abri fermé pour les vélos des gens qui prennent le train.",
        "mobility",
        "La Gare",
        55_000,
        "feasible",
        "gare",
    ),
    (
        "Fresque sous le pont",
        "Une fresque peinte avec les jeunes du quartier sous le pont de la gare.",
        "culture",
        "La Gare",
        12_000,
        "feasible",
        "gare",
    ),
    (
        "Toilettes publiques gare",
        "Des toilettes publiques accessibles près de la gare routière.",
        "public_space",
        "La Gare",
        70_000,
        "feasible",
        "gare",
    ),
    (
        "Piscine couverte",
        "Construire une piscine couverte pour toute la commune.",
        "sport",
        "Bois-Joli",
        None,
        "not_feasible",
        None,
    ),
    (
        "Navette gratuite le samedi",
        "Une navette gratuite entre les quartiers et le marché.",
        "mobility",
        "Le Port",
        None,
        "not_feasible",
        None,
    ),
    (
        "Cours de cuisine solidaire",
        "Une cuisine équipée dans la maison de quartier pour des ateliers.",
        "solidarity",
        "Les Vignes",
        None,
        "pending",
        None,
    ),
    (
        "Skatepark",
        "Un petit skatepark pour les adolescents près du stade.",
        "youth",
        "Bois-Joli",
        None,
        "pending",
        None,
    ),
    (
        "Ralentisseurs rue des Écoles",
        "Des ralentisseurs devant l'école pour la sécurité des enfants.",
        "public_space",
        "Les Tilleuls",
        None,
        "submitted",
        None,
    ),
    (
        "Ruches municipales",
        "Des ruches sur le toit de la médiathèque, avec des visites pour les écoles.",
        "nature",
        "Centre-ville",
        None,
        "submitted",
        None,
    ),
    (
        "Marché de producteurs le soir",
        "Un marché de producteurs locaux le jeudi soir au port.",
        "solidarity",
        "Le Port",
        None,
        "submitted",
        None,
    ),
]
REASONS = {
    "feasible": "Le service a vérifié le terrain et les coûts : le projet peut être réalisé en un an.",
    "not_feasible": "Ce projet dépasse le budget participatif et relève d'une compétence intercommunale.",
}
SERVICES = {"nature": "Espaces verts", "mobility": "Voirie", "public_space": "Voirie", "sport": "Sports"}


def _point(area):
    centre = area.geometry.point_on_surface
    return Point(centre.x, centre.y, srid=4326)


def _campaign(home, slug, title, **fields) -> BudgetPage:
    page = BudgetPage.objects.filter(slug=slug).first()
    if page is None:
        page = BudgetPage(slug=slug, title=title, **fields)
        home.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


def _cast(budget, people, chooser):
    for index, person in enumerate(people):
        projects = chooser(index)
        if not projects:
            continue
        ballot, created = Ballot.objects.get_or_create(
            budget=budget, voter=person, defaults={"channel": BallotChannel.ONLINE}
        )
        if created:
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, project=p, value=_value(budget, position, len(projects)))
                for position, p in enumerate(projects)
            )


def _value(budget, position: int, count: int) -> int:
    """1 for approval and knapsack; points that fit the cap and the total (cumulative); the rank (ranked)."""
    if budget.ballot_type == BallotType.CUMULATIVE:
        share = budget.points_total // count
        return min(budget.points_cap or share, share + (budget.points_total % count if position == 0 else 0))
    if budget.ballot_type == BallotType.RANKED:
        return position + 1
    return 1


def _voters(count, prefix, quartiers):
    from civic.accounts.models import User

    names = list(quartiers.values())
    people = []
    for i in range(count):
        email = f"{prefix}{i}@demo.civic.test"
        person = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, display_name=f"Habitant·e {i}", home_area=names[i % len(names)]
        )
        people.append(person)
    return people


def load(context):
    home, quartiers = context["home"], context["quartiers"]
    users = context.get("users", {})
    agent = users.get("agent.espaces-verts@demo.civic.test")
    residents = [u for e, u in users.items() if e.split("@")[0] in ("camille", "lucas", "nadia")]
    now = timezone.now()

    page = _campaign(
        home,
        "budget-participatif-2027",
        "Budget participatif 2027",
        intro="500 000 € pour des projets proposés et choisis par les habitants de Montfleury-sur-Lise.",
        ideas_opens=now - timedelta(days=120),
        ideas_close=now - timedelta(days=80),
        voting_opens=now - timedelta(days=7),
        voting_closes=now + timedelta(days=21),
        follow_up_from=now + timedelta(days=60),
        vote_scope=VoteScope.HOME_AND_CITY,
    )
    budgets = {
        "city": Budget.objects.get_or_create(
            page=page,
            name="Budget de la ville",
            defaults={
                "amount": 300_000,
                "ballot_type": BallotType.KNAPSACK,
                "min_share_percent": 0,
                "max_choices": None,
                "counting_rule": "mes-add1",
                "sort_order": 0,
            },
        )[0],
        "tilleuls": Budget.objects.get_or_create(
            page=page,
            name="Quartier des Tilleuls",
            defaults={
                "area": quartiers["Les Tilleuls"],
                "amount": 100_000,
                "ballot_type": BallotType.CUMULATIVE,
                "min_choices": 1,
                "points_total": 10,
                "points_cap": 6,
                "sort_order": 1,
            },
        )[0],
        "gare": Budget.objects.get_or_create(
            page=page,
            name="Quartier de la Gare",
            defaults={
                "area": quartiers["La Gare"],
                "amount": 100_000,
                "ballot_type": BallotType.RANKED,
                "min_choices": 1,
                "rank_k": 3,
                "sort_order": 2,
            },
        )[0],
    }
    authors = residents or [None]
    for index, (title, description, theme, quartier, cost, verdict, budget_key) in enumerate(IDEAS_2027):
        area = quartiers[quartier]
        idea, created = _idea(page, title, authors[index % len(authors)], description, theme, area, cost)
        if not created:
            continue
        if verdict != "submitted":
            IdeaReview.objects.create(
                idea=idea,
                agent=agent,
                service=SERVICES.get(theme, "Vie associative"),
                verdict=verdict,
                public_reason=REASONS.get(verdict, ""),
                cost_estimate=cost,
                decided_at=now - timedelta(days=30) if verdict != "pending" else None,
            )
        idea.status = {
            "feasible": IdeaStatus.FEASIBLE,
            "not_feasible": IdeaStatus.NOT_FEASIBLE,
            "pending": IdeaStatus.IN_REVIEW,
            "submitted": IdeaStatus.SUBMITTED,
        }[verdict]
        if budget_key:
            project = Project.objects.create(
                budget=budgets[budget_key],
                title=title,
                description=description,
                cost=cost,
                theme=theme,
                location=idea.location,
                on_ballot=True,
            )
            idea.project, idea.status = project, IdeaStatus.ON_BALLOT
        idea.save()

    city_projects = list(budgets["city"].projects.order_by("cost"))
    people = _voters(36, "votant2027-", quartiers)

    def city_choice(i):
        chosen, total = [], 0
        for project in city_projects[i % 3 :] + city_projects[: i % 3]:
            if total + project.cost <= 300_000 and (i + project.pk) % 3:
                chosen.append(project)
                total += project.cost
        return chosen

    _cast(budgets["city"], people, city_choice)
    for key in ("tilleuls", "gare"):
        projects = list(budgets[key].projects.order_by("pk"))
        local = [p for p in people if p.home_area_id == budgets[key].area_id]
        _cast(budgets[key], local, lambda i, projects=projects: projects[i % len(projects) : i % len(projects) + 2])

    _load_2025(home, quartiers, people, now)
    _load_other_phases(home, quartiers, residents, now)
    _space_card(
        page,
        "500 000 € pour des projets des habitants : votez pour la ville et pour votre quartier.",
        [],
    )
    _space_card(
        BudgetPage.objects.get(slug="budget-participatif-2025"),
        "Les projets choisis en 2025 sortent de terre : suivez-les.",
        [],
    )
    context["budget_page"] = page


def _space_card(page, teaser, areas):
    """The campaign's card on the home page: its teaser and the areas it concerns (the commune when
    ``areas`` is empty)."""
    from civic.territory.models import Area

    if page.teaser:
        return
    page.teaser = teaser
    page.areas.set(areas or Area.objects.filter(parent=None)[:1])
    page.save_revision().publish()


#: Campaigns in the phases the two main ones are not in: coming soon, ideas open, ideas under review.
OTHER_CAMPAIGNS = [
    (
        "budget-jeunesse-2029",
        "Budget jeunesse 2029",
        "Les 11-25 ans proposeront et choisiront leurs projets : ouverture des idées au printemps.",
        None,
        (30, 75, 100, 120),
        [],
    ),
    (
        "budget-participatif-2028",
        "Budget participatif 2028",
        "Vous avez une idée pour votre quartier ? Proposez-la jusqu’à la fin du mois.",
        None,
        (-10, 25, 60, 80),
        [
            (
                "Des bancs au bord de la Lise",
                "Installer des bancs à l'ombre le long du chemin de halage, tous les 200 mètres.",
                "nature",
                "Le Port",
                18_000,
            ),
            (
                "Un composteur par quartier",
                "Des composteurs partagés, gérés par des habitants volontaires, dans chaque quartier.",
                "nature",
                "Les Vignes",
                12_000,
            ),
            (
                "Éclairer le passage sous la voie ferrée",
                "Le passage piéton sous la voie est sombre le soir : des lampes à détection le rendraient sûr.",
                "mobility",
                "La Gare",
                25_000,
            ),
        ],
    ),
    (
        "budget-des-ecoles-2027",
        "Budget des écoles 2027",
        "Les élèves des écoles du centre ont proposé leurs idées : les services les étudient avant le vote.",
        "Centre-ville",
        (-40, -5, 20, 35),
        [
            (
                "Une cour d'école végétalisée",
                "Remplacer une partie du bitume de la cour par des arbres et des bacs de plantes.",
                "nature",
                "Centre-ville",
                60_000,
            ),
            (
                "Des casiers à vélos devant l'école",
                "Des arceaux couverts pour que les élèves viennent à vélo.",
                "mobility",
                "Centre-ville",
                9_000,
            ),
        ],
    ),
]


def _load_other_phases(home, quartiers, residents, now):
    authors = residents or [None]
    for slug, title, teaser, area_name, days, ideas in OTHER_CAMPAIGNS:
        ideas_opens, ideas_close, voting_opens, voting_closes = (now + timedelta(days=d) for d in days)
        page = _campaign(
            home,
            slug,
            title,
            intro=teaser,
            ideas_opens=ideas_opens,
            ideas_close=ideas_close,
            voting_opens=voting_opens,
            voting_closes=voting_closes,
            follow_up_from=voting_closes + timedelta(days=60),
            vote_scope=VoteScope.ALL,
        )
        _space_card(page, teaser, [quartiers[area_name]] if area_name else [])
        for index, (idea_title, description, theme, quartier, cost) in enumerate(ideas):
            _idea(page, idea_title, authors[index % len(authors)], description, theme, quartiers[quartier], cost)


def _idea(page, title, author, description, theme, area, cost):
    """A resident's idea placed in its area (created once: ``load_demo`` runs again unchanged)."""
    return Idea.objects.get_or_create(
        page=page,
        title=title,
        defaults={
            "author": author,
            "description": description,
            "theme": theme,
            "area": area,
            "location": _point(area),
            "cost_guess": cost,
        },
    )


PROJECTS_2025 = [
    ("Rénovation de l'aire de jeux du Port", 80_000, "Le Port", ImplementationStatus.DONE, 100),
    ("Vergers partagés aux Vignes", 35_000, "Les Vignes", ImplementationStatus.DONE, 100),
    ("Double sens cyclable rue Pasteur", 90_000, "Centre-ville", ImplementationStatus.WORKS, 60),
    ("Nouvelle médiathèque de rue", 25_000, "Bois-Joli", ImplementationStatus.STUDIES, 20),
    ("Fitness en plein air", 40_000, "Les Tilleuls", ImplementationStatus.WORKS, 35),
    ("Abri pour les chats libres", 8_000, "La Gare", ImplementationStatus.NOT_STARTED, 0),
    ("Kiosque à musique", 150_000, "Centre-ville", ImplementationStatus.NOT_STARTED, 0),
]


def _load_2025(home, quartiers, people, now):
    page = _campaign(
        home,
        "budget-participatif-2025",
        "Budget participatif 2025",
        intro="Les projets choisis en 2025 et leur réalisation.",
        ideas_opens=now - timedelta(days=800),
        ideas_close=now - timedelta(days=760),
        voting_opens=now - timedelta(days=700),
        voting_closes=now - timedelta(days=680),
        follow_up_from=now - timedelta(days=600),
        vote_scope=VoteScope.ALL,
    )
    budget, _created = Budget.objects.get_or_create(
        page=page,
        name="Budget de la ville 2025",
        defaults={
            "amount": 300_000,
            "ballot_type": BallotType.APPROVAL,
            "min_choices": 1,
            "max_choices": 3,
            "published_rule": "greedy",
            "results_published_at": now - timedelta(days=670),
        },
    )
    projects = []
    for index, (title, cost, quartier, status, progress) in enumerate(PROJECTS_2025):
        project, _created = Project.objects.get_or_create(
            budget=budget,
            title=title,
            defaults={
                "cost": cost,
                "location": _point(quartiers[quartier]),
                "on_ballot": True,
                "theme": "public_space",
                "description": f"Projet voté en 2025, quartier {quartier}.",
                "implementation_status": status,
                "progress": progress,
            },
        )
        projects.append(project)
        if index < 5:
            start = date.today() - timedelta(days=500)
            steps = [("Études et concertation", start, min(progress, 15))]
            if progress >= 35:
                steps.append(("Début des travaux", start + timedelta(days=150), min(progress, 40)))
            if progress == 100:
                steps.append(("Inauguration", start + timedelta(days=320), 100))
            for title, day, done in steps:
                milestone, created = Milestone.objects.get_or_create(
                    project=project, title=title, defaults={"date": day, "progress": done}
                )
                if not created and milestone.progress is None:  # a demo loaded before milestones had progress
                    Milestone.objects.filter(pk=milestone.pk).update(progress=done)
    _cast(budget, people, lambda i: [projects[j] for j in sorted({i % 5, (i + 2) % 5, (i * 3) % 7})][:3])
    from .services import budget_count

    for rule in ("greedy", "mes", "mes-add1"):
        result = budget_count(budget=budget, rule=rule)
    result = budget.counts.get(rule="greedy")
    Project.objects.filter(budget=budget).update(selected=False)
    Project.objects.filter(pk__in=result.selected).update(selected=True)
