"""Demo: the 2027 participatory budget of Montfleury-sur-Lise, open for voting, and the 2025 one, built."""

from datetime import date, timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from .demo_content import IDEAS_2027, OTHER_CAMPAIGNS, PROJECTS_2025, REASONS, SERVICES
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
    Milestone,
    Project,
    VoteScope,
)

ORDER = 60


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
