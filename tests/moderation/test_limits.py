import pytest

from civic.moderation.exceptions import RateLimited
from civic.moderation.limits import parse_rate, rate_limit_check, rate_limit_count


@pytest.mark.parametrize(("rate", "parsed"), [("10/5m", (10, 300)), ("20/h", (20, 3600)), ("3/2d", (3, 172800))])
def test_rates_are_written_count_slash_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "ten/m", "10/5w", "10"])
def test_invalid_rates_are_refused(rate):
    with pytest.raises(ValueError, match="Invalid rate"):
        parse_rate(rate)


def test_the_limit_is_per_person_and_per_scope(settings, user_factory, db):
    settings.CIVIC_RATE_LIMITS = {"flag": {"user": "2/h", "ip": ""}}
    first, second = user_factory(), user_factory()
    for _index in range(2):
        rate_limit_check("flag", user=first)
        rate_limit_count("flag", user=first)
    with pytest.raises(RateLimited) as refusal:
        rate_limit_check("flag", user=first)
    assert refusal.value.status == 429
    assert 0 < refusal.value.retry_after <= 3600
    assert "reports" in str(refusal.value.message)
    rate_limit_check("flag", user=second)
    rate_limit_check("comment", user=first)


def test_defaults_are_merged_with_the_settings(settings):
    from civic.moderation import conf

    settings.CIVIC_RATE_LIMITS = {"comment": {"ip": "100/h"}}
    limits = conf.get("CIVIC_RATE_LIMITS")
    assert limits["comment"] == {"user": "10/5m", "ip": "100/h"}
    assert limits["flag"]["user"] == "20/h"
