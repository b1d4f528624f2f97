"""What participatory budgets hold about a person: "my space" sections, export and erasure."""

from civic.accounts.personal_data import photo_files

from .models import Ballot, Idea

SECTION_SIZE = 5


def ideas_section(user) -> dict:
    ideas = Idea.objects.filter(author=user)
    return {
        "ideas": list(ideas.select_related("page", "project").order_by("-created_at")[:SECTION_SIZE]),
        "idea_count": ideas.count(),
    }


def ballots_section(user) -> dict:
    ballots = Ballot.objects.filter(voter=user).select_related("budget", "budget__page").order_by("-updated_at")
    rows = [{"ballot": ballot, "can_change": ballot.budget.page.is_voting_open()} for ballot in ballots[:20]]
    return {"ballots": rows}


def export(user) -> tuple[dict, list[tuple[str, str]]]:
    files = []
    ideas = []
    for idea in Idea.objects.filter(author=user).select_related("page", "area").prefetch_related("photos"):
        photos, photo_paths = photo_files("ideas", idea.pk, idea.photos.all())
        files.extend(photo_paths)
        ideas.append(
            {
                "number": idea.pk,
                "campaign": idea.page.title,
                "created_at": idea.created_at,
                "title": idea.title,
                "description": idea.description,
                "area": idea.area.name if idea.area_id else None,
                "status": idea.get_status_display(),
                "photos": photos,
            }
        )
    ballots = []
    for ballot in (
        Ballot.objects.filter(voter=user).select_related("budget", "declared_area").prefetch_related("choices__project")
    ):
        ballots.append(
            {
                "budget": ballot.budget.name,
                "channel": ballot.get_channel_display(),
                "cast_at": ballot.created_at,
                "changed_at": ballot.updated_at,
                "declared_birth_year": ballot.declared_birth_year,
                "declared_area": ballot.declared_area.name if ballot.declared_area_id else None,
                "choices": [{"project": c.project.title, "value": c.value} for c in ballot.choices.all()],
            }
        )
    return {"ideas": ideas, "ballots": ballots}, files


def erase(user) -> None:
    """Ideas stay under "Former participant" (their author link goes with the account); ballots stay
    counted, linked to no one (``voter`` is emptied by the account's deletion)."""
    Ballot.objects.filter(voter=user).update(voter=None)
