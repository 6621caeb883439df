from tests.api.test_recommendations import DASHBOARD
from tests.builders.accounts import signed_up
from tests.builders.quiz import anywhere_quiz, completed


def test_measure(server, settings, seeded):
    account = signed_up(server, settings, "measure")
    completed(account.client, anywhere_quiz())
    for first in (1, 3, 30, 43):
        body = account.client.gql(DASHBOARD, {"first": first})
        print("FIRST", first, len(body["data"]["myRecommendations"]["edges"]), body["extensions"])
