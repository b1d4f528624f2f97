"""Writing an :class:`~budget_participatif.pabulib.model.Election` as a ``.pb`` file that the reader
reads back equal."""

from __future__ import annotations

import csv
import io

from .model import Election, format_number


def write(election: Election) -> str:
    """Serialise ``election`` in the Pabulib format (``\\n`` line ends, minimal CSV quoting)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])

    project_columns = list(election.project_columns)
    for project in election.projects.values():
        for column in project.fields:
            if column not in project_columns:
                project_columns.append(column)
    writer.writerow(["PROJECTS"])
    writer.writerow(project_columns)
    for project_id, project in election.projects.items():
        cells = []
        for column in project_columns:
            if column == "project_id":
                cells.append(project_id)
            elif column == "cost":
                cells.append(format_number(project.cost))
            else:
                cells.append(project.fields.get(column, ""))
        writer.writerow(cells)

    vote_columns = list(election.vote_columns)
    if any(vote.points is not None for vote in election.votes) and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    for vote in election.votes:
        for column in vote.fields:
            if column not in vote_columns:
                vote_columns.append(column)
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    for vote in election.votes:
        cells = []
        for column in vote_columns:
            if column == "voter_id":
                cells.append(vote.voter_id)
            elif column == "vote":
                cells.append(",".join(vote.vote))
            elif column == "points":
                cells.append(",".join(format_number(p) for p in vote.points or []))
            else:
                cells.append(vote.fields.get(column, ""))
        writer.writerow(cells)
    return buffer.getvalue()
