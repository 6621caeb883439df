"""Which channels a kind of notice may go on: links that prove the mailbox by e-mail only, security alerts never
switched off, every other kind as the person chose."""

import pytest

from domain.errors import BadUserInput
from domain.notifications.model import Channel, Kind, Preferences

EVERYWHERE = Preferences.everywhere([Channel.SMS, Channel.PUSH])


@pytest.mark.parametrize("kind", [Kind.VERIFICATION, Kind.PASSWORD_RESET])
def test_mailbox_links_go_by_email_whatever_the_account_chose(kind: Kind) -> None:
    assert EVERYWHERE.for_kind(kind) == {Channel.EMAIL}
    assert Preferences.everywhere([]).for_kind(kind) == {Channel.EMAIL}


@pytest.mark.parametrize("channels", [[], [Channel.SMS], [Channel.EMAIL, Channel.PUSH]])
def test_mailbox_links_cannot_be_moved_off_email(channels: list[Channel]) -> None:
    for kind in (Kind.VERIFICATION, Kind.PASSWORD_RESET):
        with pytest.raises(BadUserInput) as refused:
            EVERYWHERE.with_changes({kind: channels})
        assert refused.value.details == {"field": "channels"}


def test_email_alone_is_accepted_for_mailbox_links() -> None:
    assert EVERYWHERE.with_changes({Kind.PASSWORD_RESET: [Channel.EMAIL]}).for_kind(Kind.PASSWORD_RESET) == {
        Channel.EMAIL
    }


def test_security_alerts_keep_a_channel_and_may_move_to_sms() -> None:
    with pytest.raises(BadUserInput):
        EVERYWHERE.with_changes({Kind.SECURITY_ALERT: []})
    moved = EVERYWHERE.with_changes({Kind.SECURITY_ALERT: [Channel.SMS]})
    assert moved.for_kind(Kind.SECURITY_ALERT) == {Channel.SMS}
    assert Preferences.everywhere([]).for_kind(Kind.SECURITY_ALERT) == {Channel.EMAIL}


def test_payment_failed_follows_the_accounts_channels() -> None:
    assert EVERYWHERE.for_kind(Kind.PAYMENT_FAILED) == {Channel.SMS, Channel.PUSH}
    assert EVERYWHERE.with_changes({Kind.PAYMENT_FAILED: []}).for_kind(Kind.PAYMENT_FAILED) == frozenset()
